"""The store's layout and file format: the one place they are written.

Layout under the store root::

    tmp/                         files being written (swept when old)
    pending/<thread>/<id>.json   waiting for a moderator
    approved/<thread>/<id>.json  published by the next site build
    rejected/<thread>/<id>.json  kept, never published
    .moderation.lock             held by moderation changes

One UTF-8 JSON object per file (``ensure_ascii=False``) with these string
fields: id, thread, name, email, text, created_at (``YYYY-MM-DDTHH:MM:SSZ``,
UTC), status; and these optional ones (absent in older files, written only
when set): ``moderated_at`` (same format, the last state change), ``reason``
(the key of a rejection reason from the moderation charter) and ``signals``
(a list of short spam-signal strings noted when the comment was posted).
A file is whole or absent (see ``files``). It is *damaged* when it is not
UTF-8, not JSON, not an object, lacks a field or has one of the wrong type
or shape, or when its id or thread disagrees with its place.

Identifiers are checked with ``re.fullmatch`` only (``$`` would let a
trailing newline through).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone

STATES = ("pending", "approved", "rejected")
NEW_STATES = ("pending", "approved")  # the states add() may write
TMP = "tmp"
#: Paragraphs of a visitor's text: separated by a blank line (the site, the console).
PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")
LOCK_NAME = ".moderation.lock"
SUFFIX = ".json"
FIELDS = ("id", "thread", "name", "email", "text", "created_at", "status")
OPTIONAL_FIELDS = ("moderated_at", "reason", "signals")
REASON_RE = re.compile(r"[a-z][a-z0-9-]{0,39}")
MAX_SIGNALS = 20

# UTC time to the microsecond, then 48 random bits: sorts by time, never collides.
ID_RE = re.compile(r"[0-9]{8}T[0-9]{12}Z-[0-9a-f]{12}")
# Also the shape of an article's or event's slug: the thread is the slug.
THREAD_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?")
CREATED_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
CREATED_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


class StoreError(Exception):
    """The disk refused a write (ENOSPC, EROFS, EACCES, ...). Nothing was stored."""

    def __init__(self, message: str, errno_: int | None = None):
        super().__init__(message)
        self.errno = errno_


class InvalidId(ValueError):
    """A comment id that does not have the store's shape (never used to build a path)."""


class NotFound(LookupError):
    """No comment with this id in any state (or it was moved or deleted meanwhile)."""


class Conflict(Exception):
    """The comment is no longer in the state the moderator saw: someone else acted first.
    ``comment`` is the comment as it is now."""

    def __init__(self, comment):
        super().__init__(f"{comment.id} is now {comment.status}")
        self.comment = comment


class DamagedComment(Exception):
    """A comment file that cannot be read as a comment (see the module docstring)."""

    def __init__(self, path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def is_comment_id(value: object) -> bool:
    return isinstance(value, str) and ID_RE.fullmatch(value) is not None


def is_thread_id(value: object) -> bool:
    return isinstance(value, str) and THREAD_RE.fullmatch(value) is not None


def check_id(comment_id: str) -> str:
    if not is_comment_id(comment_id):
        raise InvalidId(f"invalid comment id: {comment_id!r}")
    return comment_id


def check_thread(thread: str) -> str:
    if not is_thread_id(thread):
        raise ValueError(f"invalid thread id: {thread!r}")
    return thread


def _utc(now: datetime | None) -> datetime:
    """``now`` in UTC (a naive datetime is taken as UTC already); the current time if None."""
    if now is None:
        return datetime.now(timezone.utc)
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)


def new_id(now: datetime | None = None) -> str:
    """Time-ordered, never colliding across processes: UTC time to the microsecond + 48 random bits."""
    return _utc(now).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(6)


def file_name(comment_id: str) -> str:
    return check_id(comment_id) + SUFFIX


def id_from_file_name(name: str) -> str | None:
    """The comment id a file name stands for, or None if it is not a comment file name."""
    if not name.endswith(SUFFIX):
        return None
    stem = name[: -len(SUFFIX)]
    return stem if is_comment_id(stem) else None


def format_created(now: datetime) -> str:
    return _utc(now).strftime(CREATED_FORMAT)


def parse_record(data: bytes, fields: tuple[str, ...]) -> dict:
    """A store file's JSON object, whose ``fields`` are all strings; ValueError
    with a short English reason (the damaged-file report) otherwise."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    for key in fields:
        if not isinstance(obj.get(key), str):
            raise ValueError(f"field {key!r} missing or not a string")
    return obj


@dataclass
class Comment:
    id: str
    thread: str
    name: str
    email: str
    text: str
    created_at: str  # CREATED_FORMAT, UTC
    status: str
    moderated_at: str | None = None  # CREATED_FORMAT, UTC: the last state change
    reason: str | None = None  # rejection reason key (moderation charter)
    signals: list[str] = field(default_factory=list)  # spam signals noted at post time

    @property
    def created(self) -> datetime:
        """``created_at`` as an aware UTC datetime."""
        return datetime.strptime(self.created_at, CREATED_FORMAT).replace(tzinfo=timezone.utc)

    @property
    def moderated(self) -> datetime | None:
        """``moderated_at`` as an aware UTC datetime (None if never moderated)."""
        if self.moderated_at is None:
            return None
        return datetime.strptime(self.moderated_at, CREATED_FORMAT).replace(tzinfo=timezone.utc)

    def to_dict(self) -> dict:
        """The file's object: the required fields, then the optional ones that are set."""
        obj = {k: getattr(self, k) for k in FIELDS}  # strings, in the dataclass's order
        for key in OPTIONAL_FIELDS:
            value = getattr(self, key)
            if value:
                obj[key] = list(value) if key == "signals" else value
        return obj

    def to_json(self) -> bytes:
        return (json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "Comment":
        """Parse a comment file; ValueError (with a short English reason) when damaged."""
        obj = parse_record(data, FIELDS)
        comment = cls(**{k: obj[k] for k in FIELDS}, **_optional(obj))
        comment.check()
        return comment

    def check(self) -> None:
        """ValueError when a field does not have the store's shape."""
        if not is_comment_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        if not is_thread_id(self.thread):
            raise ValueError(f"invalid thread {self.thread!r}")
        if self.status not in STATES:
            raise ValueError(f"invalid status {self.status!r}")
        if not CREATED_RE.fullmatch(self.created_at):
            raise ValueError(f"invalid created_at {self.created_at!r}")
        try:
            self.created
        except ValueError:
            raise ValueError(f"invalid created_at {self.created_at!r}") from None
        for name in ("name", "email", "text"):
            if _has_surrogate(getattr(self, name)):
                raise ValueError(f"field {name!r} holds a lone surrogate")
        if self.moderated_at is not None:
            if not CREATED_RE.fullmatch(self.moderated_at):
                raise ValueError(f"invalid moderated_at {self.moderated_at!r}")
            try:
                self.moderated
            except ValueError:
                raise ValueError(f"invalid moderated_at {self.moderated_at!r}") from None
        if self.reason is not None and not REASON_RE.fullmatch(self.reason):
            raise ValueError(f"invalid reason {self.reason!r}")


def _optional(obj: dict) -> dict:
    """The optional fields of a file's object, checked for type (ValueError)."""
    found = {}
    for key in ("moderated_at", "reason"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"field {key!r} is not a string")
        found[key] = value
    signals = obj.get("signals", [])
    if (not isinstance(signals, list) or len(signals) > MAX_SIGNALS
            or not all(isinstance(x, str) and len(x) <= 200 and not _has_surrogate(x) for x in signals)):
        raise ValueError("field 'signals' is not a short list of strings")
    found["signals"] = list(signals)
    return found


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def paragraphs(text: str) -> list[str]:
    """A visitor's text as its paragraphs (each shown isolated: ``dir="auto"``,
    so that bidi controls in one never reorder what surrounds it)."""
    return [p for p in PARAGRAPH_BREAK_RE.split(text.strip()) if p.strip()]
