"""Site navigation computed once per build, not once per page.

* Each published article gets ``prev_article`` and ``next_article``, always
  set (``None`` at either end) so templates can test them under Jinja's
  StrictUndefined. ``prev_article`` is the older neighbour.
* ``menu_categories`` (name, url, slug) and ``footer_pages`` (title, url) go
  into the shared template context: every page's header and footer use them,
  and Pelican computes a content URL anew on each access.
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
    context["menu_categories"] = [
        (category.name, category.url, category.slug)
        for category, _articles in sorted(context.get("categories", []), key=lambda c: c[0].name)]
    context["footer_pages"] = [
        (page.title, page.url) for page in sorted(context.get("pages", []), key=lambda p: p.title)]


def register():
    signals.article_generator_finalized.connect(link_neighbours)
    signals.all_generators_finalized.connect(menus)
