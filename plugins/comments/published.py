"""How an approved comment is shown: Paris time, the visitor's text as HTML.

The comments come from the store's read API (``comment_service.store``),
which owns the folders, the patterns, the file format and the policy for
damaged files (reported with their path, skipped). Nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from comment_service.store import Comment as StoredComment
from comment_service.store import CommentStore

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Comment:
    """A published comment. Every field is plain text written by a visitor:
    templates show them through Jinja's autoescaping, never with ``|safe``."""

    id: str
    name: str
    text: str
    created_at: dt.datetime  # aware, Europe/Paris

    @property
    def anchor(self) -> str:
        return f"commentaire-{self.id}"

    @classmethod
    def from_stored(cls, stored: StoredComment) -> "Comment":
        return cls(id=stored.id, name=stored.name, text=stored.text,
                   created_at=stored.created.astimezone(PARIS))


def load_thread(store: CommentStore, thread: str) -> list[Comment]:
    """The approved comments of one thread, oldest first (damaged files are
    reported by the store and skipped)."""
    return [Comment.from_stored(c) for c in store.approved(thread)]


def text_to_html(text: str) -> Markup:
    """A visitor's text as HTML: escaped, paragraphs on blank lines, line
    breaks kept. Nothing in it is ever interpreted as markup."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in p.split("\n")))
        for p in paragraphs if p.strip()
    )
