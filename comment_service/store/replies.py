"""The Département's replies: one JSON file per reply, beside its comment's thread.

Layout under the store root::

    replies/<thread>/<comment id>.json

One reply per comment (the file is named after the comment it answers), with
the same guarantees as a comment (written whole under ``tmp/``, fsynced,
renamed into place; an edit is an atomic replace; removal an unlink). The
fields, all strings: comment_id, thread, service (e.g. "Direction des
routes"), text, created_at, updated_at (``YYYY-MM-DDTHH:MM:SSZ``, UTC) and
author (the moderator account that wrote or last edited it). A reply is
published only under an approved comment; a damaged reply file is reported
with its path and skipped, like a damaged comment.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from .layout import CREATED_FORMAT, CREATED_RE, _has_surrogate, is_comment_id, is_thread_id, parse_record

REPLIES = "replies"
REPLY_FIELDS = ("comment_id", "thread", "service", "text", "created_at", "updated_at", "author")


@dataclass
class Reply:
    comment_id: str
    thread: str
    service: str
    text: str
    created_at: str  # CREATED_FORMAT, UTC
    updated_at: str  # CREATED_FORMAT, UTC
    author: str  # the moderator account

    @property
    def edited(self) -> bool:
        return self.updated_at != self.created_at

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "Reply":
        """Parse a reply file; ValueError (a short English reason) when damaged."""
        obj = parse_record(data, REPLY_FIELDS)
        reply = cls(**{k: obj[k] for k in REPLY_FIELDS})
        reply.check()
        return reply

    def check(self) -> None:
        if not is_comment_id(self.comment_id):
            raise ValueError(f"invalid comment_id {self.comment_id!r}")
        if not is_thread_id(self.thread):
            raise ValueError(f"invalid thread {self.thread!r}")
        for key in ("created_at", "updated_at"):
            if not CREATED_RE.fullmatch(getattr(self, key)):
                raise ValueError(f"invalid {key} {getattr(self, key)!r}")
        for key in ("service", "text", "author"):
            if _has_surrogate(getattr(self, key)):
                raise ValueError(f"field {key!r} holds a lone surrogate")
        if not self.text.strip() or not self.service.strip():
            raise ValueError("empty text or service")


__all__ = ["CREATED_FORMAT", "REPLIES", "REPLY_FIELDS", "Reply"]
