"""What the console shows (pure: store records in, view models and HTML out).

Dates in Paris time, in French; a thread's title and link from the threads
manifest; spam signals and rejection reasons by their French labels; the
text exactly as the visitor wrote it (the templates escape everything and keep
its line breaks with CSS). Filtering, search and pagination are here too.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from ..reports import texts as report_texts
from ..rules import reasons, signals
from ..web.render import environment
from ..store import Comment, Reply
from ..web.threads import Thread
from . import texts

PARIS = ZoneInfo("Europe/Paris")
PER_PAGE = 20
VIEW_PATHS = {"pending": "/", "approved": "/publies", "rejected": "/refuses"}
ACTIONS = {  # what each view offers, in button order
    "pending": ("approve", "reject", "delete"),
    "approved": ("unpublish", "reject", "delete"),
    "rejected": ("restore", "approve", "delete"),
}


def french_datetime(moment: datetime) -> str:
    """``1er décembre 2026 à 16 h 05`` in Paris time."""
    local = moment.astimezone(PARIS)
    day = "1er" if local.day == 1 else str(local.day)
    nbsp = "\u00a0"
    clock = f"{local.hour}{nbsp}h{nbsp}{local.minute:02d}" if local.minute else f"{local.hour}{nbsp}h"
    return f"{day} {format_date(local, 'MMMM y', locale='fr_FR')} à {clock}"


@dataclass(frozen=True)
class Item:
    """One comment as the console shows it."""

    id: str
    thread: str
    thread_title: str
    thread_url: str | None  # absolute, None if the page is not in the manifest
    name: str
    email: str
    text: str
    status: str
    created: str
    created_iso: str
    moderated: str | None
    signals: tuple[str, ...]
    reason: str | None
    reply: Reply | None
    reports: tuple = ()  # open readers' reports (reports/console.py: ReportView)

    @property
    def anchor(self) -> str:
        return f"c-{self.id}"


def item(comment: Comment, thread: Thread | None, site_url: str, reply: Reply | None, reports: tuple = ()) -> Item:
    return Item(
        id=comment.id, thread=comment.thread,
        thread_title=thread.title if thread else f"{comment.thread} {texts.UNKNOWN_THREAD}",
        thread_url=site_url + thread.url if thread else None,
        name=comment.name, email=comment.email, text=comment.text, status=comment.status,
        created=french_datetime(comment.created), created_iso=comment.created.isoformat(),
        moderated=french_datetime(comment.moderated) if comment.moderated else None,
        signals=tuple(signals.label(s) for s in comment.signals),
        reason=reasons.label(comment.reason) if comment.status == "rejected" else None,
        reply=reply, reports=reports,
    )


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def matches(comment: Comment, query: str) -> bool:
    """Search in the text and the name, ignoring case."""
    q = _folded(query.strip())
    return not q or q in _folded(comment.text) or q in _folded(comment.name)


@dataclass(frozen=True)
class Page:
    comments: list[Comment]
    page: int
    pages: int
    total: int


def paginate(comments: list[Comment], page: int) -> Page:
    pages = max(1, math.ceil(len(comments) / PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * PER_PAGE
    return Page(comments[start:start + PER_PAGE], page, pages, len(comments))


def order(comments: list[Comment], state: str) -> list[Comment]:
    """The queue oldest first; published and refused, the latest decisions first (to undo)."""
    if state == "pending":
        return sorted(comments, key=lambda c: (c.created_at, c.id))
    return sorted(comments, key=lambda c: (c.moderated_at or c.created_at, c.id), reverse=True)


def render(template: str, **context) -> str:
    return environment().get_template(f"console/{template}").render(texts=texts, report_texts=report_texts,
                                                                    **context)
