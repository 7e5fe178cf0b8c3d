"""Atom feeds of published comments (site-wide and per article or event).

Pure apart from the returned bytes: ``opendata.py`` writes them atomically.
A visitor's text is escaped here (an Atom ``summary type="html"`` is read as
HTML by feed readers), line breaks kept; the author is the public name only.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from html import escape

from feedgenerator import Atom1Feed

from .table import LICENCE


@dataclass(frozen=True)
class Entry:
    """One published comment in a feed."""

    comment_id: str
    page_title: str
    page_url: str  # absolute
    name: str
    text: str
    created: dt.datetime  # aware


def text_html(text: str) -> str:
    """A visitor's text as escaped HTML, line breaks kept."""
    return "<br>".join(escape(line, quote=True) for line in text.strip().split("\n"))


def atom(entries: list[Entry], *, title: str, link: str, feed_url: str, max_items: int,
         empty_updated: dt.datetime | None = None) -> bytes:
    """The newest ``max_items`` entries as an Atom 1.0 document (UTF-8). A feed
    without entries is dated ``empty_updated`` (the page's date), never the
    build's clock: the same data gives the same bytes."""
    feed = Atom1Feed(title=title, link=link, description="", language="fr", feed_url=feed_url,
                     feed_copyright=f"{LICENCE['title']} ({LICENCE['path']})")
    newest = sorted(entries, key=lambda e: (e.created, e.comment_id), reverse=True)[:max_items]
    for entry in newest:
        url = f"{entry.page_url}#commentaire-{entry.comment_id}"
        feed.add_item(title=f"{entry.name} sur «\u00a0{entry.page_title}\u00a0»", link=url,
                      description=text_html(entry.text), author_name=entry.name, pubdate=entry.created,
                      updateddate=entry.created, unique_id=url)
    if not newest:
        stamp = empty_updated or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        feed.latest_post_date = lambda: stamp
    out = io.StringIO()
    feed.write(out, "utf-8")
    return out.getvalue().encode("utf-8")
