"""The selective writer: render only the outputs that show some comment threads.

A comment (its approval, rejection, deletion, or the Département's reply)
shows in three kinds of output, and nowhere else:

* the page of its article or event (templates ``article.html``,
  ``event.html``, given the object as ``article`` / ``event``);
* the listings whose article cards show the comment count
  (``partials/article_card.html``, included by ``LISTING_TEMPLATES``): only
  the paginated pages whose cards include a changed article;
* the open-data page (``opendata.html``: counts and date of the latest
  change); the open-data files and comment feeds are written directly by
  plugins/opendata, not through the writer, and are compared by the
  publisher like every other file; likewise the monthly moderation table
  (``moderation.html``, plugins/opendata/moderation.py: it counts every state, so
  a rejection shows at the next publication).

Feeds written through the writer (Pelican's Atom feeds) show no comments:
skipped. Everything else the writer is asked for is skipped too.

An editor's change to the body of articles (``sources``: their source
files; the publisher has checked that no other field changed) shows in
their own pages and in the Atom feeds whose newest items include them (an
Atom entry carries the full content); the search index follows
(``searchindex.py``). A change of a published article's title or summary
(``listed``, also in ``threads``) shows besides in the listings that show
its card, the archives, and its neighbours' pages (the publisher adds
their slugs to ``threads``).

The writer used is the one the plugins offer through the ``get_writer``
signal (plugins/absolute_urls offers one; Pelican takes only the first
writer a signal returns, so a second receiver would replace it):
``make_selective`` adds the selection on top of that writer's class.
"""

from __future__ import annotations

ITEM_TEMPLATES = {"article.html": "article", "event.html": "event"}
LISTING_TEMPLATES = frozenset({"index.html", "category.html", "tag.html"})
#: The page template of each of Pelican's taxonomies.
TAXONOMY_TEMPLATES = {"tags": "tag.html", "categories": "category.html", "authors": "author.html"}
#: Listings that show articles' titles but not their comment counts.
TITLE_LISTINGS = frozenset({"archives.html"})
ALWAYS_TEMPLATES = frozenset({"opendata.html", "moderation.html"})


def shows(threads: frozenset[str], objects) -> bool:
    return any(getattr(obj, "slug", None) in threads for obj in objects or ())


def edited(sources: frozenset[str], objects) -> bool:
    return any(getattr(obj, "source_path", None) in sources for obj in objects or ())


def _pages_showing(threads: frozenset[str], paginator) -> list[int]:
    """The numbers (1-based) of the pages of ``paginator`` that list a changed article."""
    per_page = paginator.per_page or 1
    positions = [i for i, obj in enumerate(paginator.object_list)
                 if getattr(obj, "slug", None) in threads]
    candidates = {min(n, paginator.num_pages) for i in positions
                  for n in (i // per_page + 1, i // per_page)}  # orphans join the last page
    return sorted(n for n in candidates
                  if n >= 1 and shows(threads, paginator.page(n).object_list))


class SelectiveMixin:
    """Put before a Pelican Writer class; ``threads`` is set on the instance."""

    threads: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()  # edited source files (a body change)
    listed: frozenset[str] = frozenset()  # articles whose title or summary changed

    def selects(self, taxonomy: str, articles) -> bool:
        """Whether the page or the feed of a tag, category or author listing
        these articles may be written (``kept.narrowed``): a page shows comment
        counts if its template is a listing here; a feed carries bodies."""
        counts = TAXONOMY_TEMPLATES.get(taxonomy) in LISTING_TEMPLATES
        return (counts and shows(self.threads, articles)) or edited(self.sources, articles)

    def write_feed(self, elements, context, *args, **kwargs):
        # Pelican's feeds show no comments, but the full content of their newest items.
        if edited(self.sources, elements[: self.settings["FEED_MAX_ITEMS"]]):
            return super().write_feed(elements, context, *args, **kwargs)
        return None

    def write_file(self, name, template, context, *args, **kwargs):
        template_name = getattr(template, "name", "")
        item = kwargs.get(ITEM_TEMPLATES.get(template_name, "page"))
        if item is not None and (shows(self.threads, [item]) or edited(self.sources, [item])):
            return super().write_file(name, template, context, *args, **kwargs)
        if (self.threads and template_name in LISTING_TEMPLATES
                or self.listed and template_name in TITLE_LISTINGS):
            return self._write_listing(name, template, context, *args, **kwargs)
        if self.threads and template_name in ALWAYS_TEMPLATES:
            return super().write_file(name, template, context, *args, **kwargs)
        return None

    def _write_listing(self, name, template, context, relative_urls=False, paginated=None,
                       template_name=None, override_output=False, url=None, **kwargs):
        """Pelican's pagination (``Writer.write_file``, 4.12), for the pages that
        list a changed article only: each is written by the base class as one
        unpaginated file with exactly the variables Pelican gives that page."""
        from pelican.paginator import Paginator

        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            if shows(self.threads, kwargs.get("articles")):
                return super().write_file(name, template, context, relative_urls, paginated,
                                          template_name, override_output, url, **kwargs)
            return None
        per_page = (self.settings["PAGINATED_TEMPLATES"][template_name]
                    or self.settings["DEFAULT_PAGINATION"])
        paginators = {key: Paginator(name, url, val, self.settings, per_page)
                      for key, val in paginated.items()}
        listed = paginators.get("articles") or next(iter(paginators.values()))
        for number in _pages_showing(self.threads, listed):
            page_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(number)
                page_kwargs.update({
                    f"{key}_paginator": paginator, f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number - 1) if number > 1 else None,
                    f"{key}_next_page": paginator.page(number + 1)
                    if number < paginator.num_pages else None})
            super().write_file(page.save_as, template, context, relative_urls, {},
                               template_name, override_output, url, **page_kwargs)
        return None


def make_selective(writer, threads, sources=frozenset(), listed=frozenset()):
    """The same writer object, its class given the selection on top. An
    article in ``listed`` must be in ``threads`` too (its cards are chosen so)."""
    writer.__class__ = type("Selective" + type(writer).__name__, (SelectiveMixin, type(writer)), {})
    writer.threads, writer.sources = frozenset(threads) | frozenset(listed), frozenset(sources)
    writer.listed = frozenset(listed)
    return writer
