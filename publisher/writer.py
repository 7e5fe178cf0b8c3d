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
    skip_next = False

    def write_feed(self, *_args, **_kwargs):
        return None  # Pelican's feeds show no comments

    def write_file(self, name, template, context, *args, **kwargs):
        template_name = getattr(template, "name", "")
        if template_name in ITEM_TEMPLATES:
            if shows(self.threads, [kwargs.get(ITEM_TEMPLATES[template_name])]):
                return super().write_file(name, template, context, *args, **kwargs)
        elif template_name in LISTING_TEMPLATES:
            return super().write_file(name, _ListingPage(template, self), context, *args,
                                      **kwargs)
        elif template_name in ALWAYS_TEMPLATES:
            return super().write_file(name, template, context, *args, **kwargs)
        return None

    def _open_w(self, filename, encoding, override=False):
        if self.skip_next:
            self.skip_next = False
            return open(os.devnull, "w", encoding=encoding)
        return super()._open_w(filename, encoding, override)


def selective(pelican_class, threads: frozenset[str] | None):
    """``pelican_class`` itself, or a subclass whose writer renders only what
    shows ``threads``."""
    if threads is None:
        return pelican_class

    class SelectivePelican(pelican_class):
        def _get_writer(self):
            writer = super()._get_writer()  # the plugins' writer (get_writer signal)
            writer.__class__ = type("Selective" + type(writer).__name__,
                                    (SelectiveMixin, type(writer)), {})
            writer.threads = frozenset(threads)
            return writer

    return SelectivePelican
