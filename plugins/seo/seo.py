"""Sharing and discovery.

* ``canonical_path`` (Jinja filter): the public path of the file being
  written (``output_file`` in Pelican's template context), ``index.html``
  dropped, exactly as pelican-sitemap writes its ``<loc>``; the theme prefixes
  ``SITE_ABSOLUTE_URL`` (``SITEURL`` in production) for ``<link
  rel="canonical">`` and ``og:url``.
* Every article gets ``jsonld`` (schema.org NewsArticle, safe inside
  ``<script type="application/ld+json">``, escaped by ``sitekit``)
  and ``og_image`` (absolute URL of its ``Image:`` field, or None). An
  ``Image:`` that names no file of content/ fails the build.

Body images (dimensions, lazy loading) are the images plugin's job.
"""

from __future__ import annotations

import logging
import os
import re

from pelican import signals

from editorial import record_problem
from sitekit import absolute_base, html_to_text, script_safe_json
from sitekit.share import share_image

logger = logging.getLogger(__name__)


def canonical_path(output_file: str) -> str:
    """'2014/06/12/x/index.html' -> '2014/06/12/x/'; 'index.html' -> ''."""
    return re.sub(r"(?:^|(?<=/))index\.html$", "", output_file.replace(os.sep, "/"))


# --- Articles: Open Graph image and NewsArticle --------------------------

def news_article(article, settings) -> dict:
    base = absolute_base(settings)
    url = f"{base}/{article.url}"
    modified = getattr(article, "modified", None) or article.date
    publisher = {
        "@type": "GovernmentOrganization",
        "name": settings["SITENAME"],
        "url": base + "/",
        "logo": {"@type": "ImageObject",
                 "url": f"{base}/{settings['THEME_STATIC_DIR']}/images/favicon.svg"},
    }
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": html_to_text(article.summary),
        "datePublished": article.date.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": "fr",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": {"@type": "GovernmentOrganization", "name": settings["AUTHOR"],
                   "url": base + "/"},
        "publisher": publisher,
        "articleSection": article.category.name,
    }
    tags = getattr(article, "tags", None)
    if tags:
        data["keywords"] = ", ".join(tag.name for tag in tags)
    if getattr(article, "og_image", None):
        data["image"] = [article.og_image]
    return data


def prepare_articles(generators):
    for gen in generators:
        articles = [*getattr(gen, "articles", []), *getattr(gen, "translations", []),
                    *getattr(gen, "hidden_articles", []), *getattr(gen, "drafts", [])]
        for article in articles:
            set_share_image(article)
            article.jsonld = script_safe_json(news_article(article, article.settings))


def set_share_image(item) -> None:
    """``og_image``: the absolute address of the article's ``Image:``, or None
    (a missing file is an editorial problem); ``sitekit.share``."""
    item.og_image, problem = share_image(item.settings, item.metadata.get("image"))
    if problem:
        record_problem(item.settings, item.source_path, "image", problem)


def add_filters(generator):
    generator.env.filters["canonical_path"] = canonical_path


def register():
    signals.generator_init.connect(add_filters)
    # Before all_generators_finalized, where the editorial plugin turns the
    # recorded problems (an Image: that names no file) into a failed build.
    signals.article_generator_finalized.connect(_prepare_generator)


def _prepare_generator(generator):
    prepare_articles([generator])
