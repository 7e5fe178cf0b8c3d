"""Give each published article ``prev_article`` and ``next_article``.

Both are always set (``None`` at either end), so templates can test them
under Jinja's StrictUndefined. ``prev_article`` is the older neighbour.
"""

from pelican import signals


def link_neighbours(generator):
    ordered = sorted(generator.articles, key=lambda a: (a.date, a.slug))
    for index, article in enumerate(ordered):
        article.prev_article = ordered[index - 1] if index > 0 else None
        article.next_article = ordered[index + 1] if index + 1 < len(ordered) else None
    for article in [*generator.drafts, *generator.hidden_articles]:
        article.prev_article = article.next_article = None


def register():
    signals.article_generator_finalized.connect(link_neighbours)
