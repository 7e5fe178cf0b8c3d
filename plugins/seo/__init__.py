"""Sharing and discovery: canonical URLs, Open Graph images and NewsArticle
JSON-LD (see ``seo.py``)."""

from .seo import canonical_path, news_article, prepare_articles, register

__all__ = ["canonical_path", "news_article", "prepare_articles", "register"]
