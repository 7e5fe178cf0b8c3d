"""How an approved comment is shown: Paris time, the visitor's text as HTML,
and the Département's reply under it (``Comment.reply``), if any.

The comments come from the store's read API (``comment_service.store``),
which owns the folders, the patterns, the file format and the policy for
damaged files (reported with their path, skipped). Nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from comment_service.store import CREATED_FORMAT
from comment_service.store import Comment as StoredComment
from comment_service.store import CommentStore, paragraphs
from comment_service.store import Reply as StoredReply

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Reply:
    """The Département's reply to a comment: plain text, escaped like a visitor's."""

    service: str  # e.g. "Direction des routes"
    text: str
    created_at: dt.datetime  # aware, Europe/Paris
    updated_at: dt.datetime

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at

    @classmethod
    def from_stored(cls, stored: StoredReply) -> "Reply":
        def paris(value: str) -> dt.datetime:
            return dt.datetime.strptime(value, CREATED_FORMAT).replace(tzinfo=dt.timezone.utc).astimezone(PARIS)
        return cls(service=stored.service, text=stored.text, created_at=paris(stored.created_at),
                   updated_at=paris(stored.updated_at))


@dataclass(frozen=True)
class Comment:
    """A published comment. Every field is plain text written by a visitor:
    templates show them through Jinja's autoescaping, never with ``|safe``."""

    id: str
    name: str
    text: str
    created_at: dt.datetime  # aware, Europe/Paris
    reply: Reply | None = None  # the Département's reply (not counted as a comment)

    @property
    def anchor(self) -> str:
        return f"commentaire-{self.id}"

    @classmethod
    def from_stored(cls, stored: StoredComment, reply: StoredReply | None = None) -> "Comment":
        return cls(id=stored.id, name=stored.name, text=stored.text,
                   created_at=stored.created.astimezone(PARIS),
                   reply=Reply.from_stored(reply) if reply is not None else None)


def load_thread(store: CommentStore, thread: str) -> list[Comment]:
    """The approved comments of one thread, oldest first, each with its reply
    (damaged files are reported by the store and skipped)."""
    replies = store.replies(thread)
    return [Comment.from_stored(c, replies.get(c.id)) for c in store.approved(thread)]


def text_to_html(text: str) -> Markup:
    """A visitor's text as HTML: escaped, paragraphs on blank lines (each
    isolated with ``dir="auto"``: bidi controls cannot spill out), line breaks
    kept. Nothing in it is ever interpreted as markup."""
    return Markup("\n").join(
        Markup('<p dir="auto">{}</p>').format(Markup("<br>\n").join(escape(line) for line in p.split("\n")))
        for p in paragraphs(text)
    )
