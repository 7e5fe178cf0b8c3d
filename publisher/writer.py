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
  publisher like every other file.

Feeds written through the writer (Pelican's Atom feeds) show no comments:
skipped. Everything else the writer is asked for is skipped too.

An editor's change to the body of articles (``sources``: their source
files; the publisher has checked that no other field changed) shows in
their own pages and in the Atom feeds whose newest items include them (an
Atom entry carries the full content); the search index follows with the
next full publication.

The writer Pelican uses is the one the plugins offer through the
``get_writer`` signal (plugins/absolute_urls offers one; Pelican takes only
the first writer a signal returns, so a second receiver would replace it):
``selective`` subclasses Pelican so that its ``_get_writer`` takes that
writer and adds the selection on top of its class. With ``threads=None``
nothing changes: a full build.
"""

from __future__ import annotations

import os

ITEM_TEMPLATES = {"article.html": "article", "event.html": "event"}
LISTING_TEMPLATES = frozenset({"index.html", "category.html", "tag.html"})
ALWAYS_TEMPLATES = frozenset({"opendata.html"})


def shows(threads: frozenset[str], objects) -> bool:
    return any(getattr(obj, "slug", None) in threads for obj in objects or ())


def edited(sources: frozenset[str], objects) -> bool:
    return any(getattr(obj, "source_path", None) in sources for obj in objects or ())


class _ListingPage:
    """A listing template that renders a paginated page only when one of its
    cards is a changed article; otherwise it tells the writer to skip the file."""

    def __init__(self, template, writer):
        self.template, self.writer, self.name = template, writer, template.name

    def render(self, context):
        page = context.get("articles_page")
        listed = page.object_list if page is not None else context.get("articles")
        if shows(self.writer.threads, listed):
            return self.template.render(context)
        self.writer.skip_next = True
        return ""


class SelectiveMixin:
    """Put before a Pelican Writer class; ``threads`` is set on the instance."""

    threads: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()  # edited source files (a body change)
    skip_next = False

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
        if self.threads and template_name in LISTING_TEMPLATES:
            return super().write_file(name, _ListingPage(template, self), context, *args,
                                      **kwargs)
        if self.threads and template_name in ALWAYS_TEMPLATES:
            return super().write_file(name, template, context, *args, **kwargs)
        return None

    def _open_w(self, filename, encoding, override=False):
        if self.skip_next:
            self.skip_next = False
            return open(os.devnull, "w", encoding=encoding)
        return super()._open_w(filename, encoding, override)


def selective(pelican_class, threads: frozenset[str] | None,
              sources: frozenset[str] = frozenset()):
    """``pelican_class`` itself, or a subclass whose writer renders only what
    shows ``threads`` or the content of ``sources``."""
    if threads is None:
        return pelican_class

    class SelectivePelican(pelican_class):
        def _get_writer(self):
            # the plugins' writer (get_writer signal), made selective
            return make_selective(super()._get_writer(), threads, sources)

    return SelectivePelican


def make_selective(writer, threads, sources=frozenset()):
    """The same writer object, its class given the selection on top."""
    writer.__class__ = type("Selective" + type(writer).__name__, (SelectiveMixin, type(writer)), {})
    writer.threads, writer.sources = frozenset(threads), frozenset(sources)
    return writer
