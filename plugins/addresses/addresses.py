"""Each article's and page's address computed once per build.

Pelican formats a content's ``url`` from its URL pattern (date, slug,
category, language…) every time a template, a feed, the sitemap or a plugin
reads it: about twelve times per article in a build of this theme, 0.4–0.9 s
of a 1,000-article build. Once every plugin has finished with the page data
(``all_generators_finalized``, connected at ``initialized`` so that it runs
after the plugins' own receivers), nothing can change an address any more:
each is stored once with Pelican's own ``override_url``, the attribute its
``URL:`` metadata sets. The site is the same byte for byte (test).

The publisher keeps a build's page data between publications; its selective
publications read these addresses again and again (issue 12).
"""

from __future__ import annotations

from pelican import signals

#: The lists of contents of Pelican's articles and pages generators.
CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                 "drafts_translations", "pages", "hidden_pages", "draft_pages")


def freeze(generators) -> None:
    from pelican.generators import ArticlesGenerator, PagesGenerator

    for gen in generators:
        if not isinstance(gen, (ArticlesGenerator, PagesGenerator)):
            continue  # plugins' generators may name other things "pages"
        for name in CONTENT_LISTS:
            for obj in getattr(gen, name, None) or ():
                if not hasattr(obj, "override_url"):
                    obj.override_url = obj.url


def connect_last(_pelican) -> None:
    signals.all_generators_finalized.connect(freeze)


def register():
    signals.initialized.connect(connect_last)
