"""Sharing and discovery: canonical URLs, Open Graph images, NewsArticle
JSON-LD, and body images with dimensions and lazy loading (see ``seo.py``)."""

from .seo import canonical_path, image_size, lazy_images, news_article, register

__all__ = ["canonical_path", "image_size", "lazy_images", "news_article", "register"]
