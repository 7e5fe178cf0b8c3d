"""Absolute addresses in feeds and in the sitemap, whatever SITEURL is.

Development builds keep ``SITEURL`` empty so that pages link root-relatively
(``/archives/``) and the site works on any local host and port. A feed's
links and entry ids and a sitemap's ``<loc>`` must be absolute, though
(RFC 4287, sitemaps.org): with an empty SITEURL, Pelican writes ``tag:None,…``
ids and relative links, and pelican-sitemap relative ``<loc>``s. Where
SITEURL is empty, this plugin gives them ``SITE_ABSOLUTE_URL`` (through
``sitekit.absolute_base``); production (``publishconf.py``) sets SITEURL and
nothing changes.

* ``get_writer``: ``AbsoluteFeedWriter`` writes feeds with SITEURL set to the
  absolute address (pages are written as before);
* ``finalized``: every page is written by then; this build's SITEURL becomes
  the absolute address for what runs after, pelican-sitemap's writer: list
  this plugin before ``pelican.plugins.sitemap`` in PLUGINS.
"""

from __future__ import annotations

from pelican import signals
from pelican.writers import Writer

from sitekit import absolute_base


class AbsoluteFeedWriter(Writer):
    """Pelican's writer, with feeds always made from an absolute site address."""

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):
        base = absolute_base(self.settings)
        if base and not context.get("SITEURL"):
            context = {**context, "SITEURL": base}
        return super().write_feed(elements, context, path, url, feed_type, override_output,
                                  feed_title)


def get_writer(_pelican):
    return AbsoluteFeedWriter


def absolute_siteurl(pelican) -> None:
    settings = pelican.settings
    if not settings.get("SITEURL"):
        settings["SITEURL"] = absolute_base(settings)


def register():
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(absolute_siteurl)
