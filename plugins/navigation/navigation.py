"""Site navigation computed once per build, not once per page.

* Each published article gets ``prev_article`` and ``next_article``, always
  set (``None`` at either end) so templates can test them under Jinja's
  StrictUndefined. ``prev_article`` is the older neighbour.
* ``footer_pages`` (title, url) goes into the shared template context: every
  page's footer uses it, and Pelican computes a content URL anew on each access.
"""

from pelican import signals


def link_neighbours(generator):
    ordered = sorted(generator.articles, key=lambda a: (a.date, a.slug))
    for index, article in enumerate(ordered):
        article.prev_article = ordered[index - 1] if index > 0 else None
        article.next_article = ordered[index + 1] if index + 1 < len(ordered) else None
    for article in [*generator.drafts, *generator.hidden_articles]:
        article.prev_article = article.next_article = None


def menus(generators):
    context = generators[0].context
    # Pages the footer already links under another name (the accessibility
    # statement, as « Accessibilité : … »): once each; an easy-to-read version
    # is linked from the top of its original (plugins/easyread), not here.
    linked = {context.get("ACCESSIBILITY_URL")} if context.get("ACCESSIBILITY") else set()
    context["footer_pages"] = [
        (page.title, page.url) for page in sorted(context.get("pages", []), key=lambda p: p.title)
        if page.url not in linked and getattr(page, "easy_original", None) is None]


def register():
    signals.article_generator_finalized.connect(link_neighbours)
    signals.all_generators_finalized.connect(menus)
