"""Accessibility requests on disk: one JSON file per request in ``<store>/accessibilite/``.

A request is written whole through the store's ``tmp/`` (``store.files``:
write, fsync, rename, folder fsync): once :meth:`Requests.add` returns, the
request survives a crash, and only then is it acknowledged. An answer, a
mail sent, a redaction rewrite the file atomically (``files.rewrite``) under
the folder's lock, so the console and the notify process never lose each
other's changes.

The file: ``id`` (the store's comment-id shape: time then random), ``name``,
``email``, ``page`` (an http(s) address or empty), ``text``, ``received_at``
(``YYYY-MM-DDTHH:MM:SSZ``), ``answer`` (null, or ``text``, ``by``, ``at``),
``sent`` (mail kind -> time: ``ack``, ``answer``) and ``redacted`` (the
personal data were removed: erasure or retention). A damaged file is logged
and skipped, never a crash.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..store import files
from ..store.layout import CREATED_FORMAT, TMP, format_created, is_comment_id, new_id

log = logging.getLogger("comment_service.accessibility")

FOLDER = "accessibilite"
LOCK = ".accessibilite.lock"
SUFFIX = ".json"
ERASED = ""


class RequestError(Exception):
    """The disk refused a write: nothing was stored (or changed)."""


@dataclass
class Request:
    id: str
    name: str
    email: str
    page: str
    text: str
    received_at: str
    answer: dict | None = None  # {"text", "by", "at"}
    sent: dict = field(default_factory=dict)  # mail kind -> time sent
    redacted: bool = False

    @property
    def received(self) -> datetime:
        return datetime.strptime(self.received_at, CREATED_FORMAT).replace(tzinfo=timezone.utc)

    @property
    def answered(self) -> datetime | None:
        if not self.answer:
            return None
        return datetime.strptime(self.answer["at"], CREATED_FORMAT).replace(tzinfo=timezone.utc)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1).encode("utf-8")


def _parse(raw: bytes, request_id: str) -> Request | None:
    try:
        data = json.loads(raw.decode("utf-8"))
        request = Request(**data)
        request.received  # the date must parse
        if request.answered is not None and not isinstance(request.answer.get("text"), str):
            raise ValueError("answer without text")
    except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.error("damaged accessibility request %s: %s (skipped)", request_id, exc)
        return None
    strings = (request.id, request.name, request.email, request.page, request.text)
    if request.id != request_id or not all(isinstance(v, str) for v in strings) \
            or not isinstance(request.sent, dict):
        log.error("damaged accessibility request %s: wrong fields (skipped)", request_id)
        return None
    return request


class Requests:
    def __init__(self, store_root: Path | str):
        self.root = Path(store_root)
        self.folder = self.root / FOLDER
        self.tmp = self.root / TMP

    def add(self, name: str, email: str, page: str, text: str, now: datetime | None = None) -> Request:
        now = now or datetime.now(timezone.utc)
        request = Request(new_id(now), name, email, page, text, format_created(now))
        try:
            files.write_new(self.tmp, self.folder / (request.id + SUFFIX), request.to_json(), request.id)
        except OSError as exc:
            raise RequestError(f"cannot write accessibility request: {exc}") from exc
        return request

    def get(self, request_id: str) -> Request | None:
        if not is_comment_id(request_id):  # never a path from unchecked input
            return None
        try:
            raw = (self.folder / (request_id + SUFFIX)).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            log.error("cannot read accessibility request %s: %s", request_id, exc)
            return None
        return _parse(raw, request_id)

    def all(self) -> list[Request]:
        """Every readable request, oldest first."""
        try:
            names = sorted(os.listdir(self.folder))
        except (FileNotFoundError, NotADirectoryError):
            return []
        found = []
        for name in names:
            request_id = name[:-len(SUFFIX)] if name.endswith(SUFFIX) else ""
            if is_comment_id(request_id):
                request = self.get(request_id)
                if request is not None:
                    found.append(request)
        return found

    @contextmanager
    def _locked(self):
        files.ensure_dir(self.folder)
        fd = files.open_lock(self.root / LOCK)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def update(self, request_id: str, change) -> Request | None:
        """Apply ``change(request)`` and rewrite the file atomically; None when it is gone."""
        try:
            with self._locked():
                request = self.get(request_id)
                if request is None:
                    return None
                change(request)
                files.rewrite(self.tmp, self.folder / (request_id + SUFFIX), request.to_json(), request_id)
                return request
        except OSError as exc:
            raise RequestError(f"cannot update accessibility request {request_id}: {exc}") from exc

    def set_answer(self, request_id: str, text: str, by: str, now: datetime | None = None) -> Request | None:
        at = format_created(now or datetime.now(timezone.utc))

        def change(request: Request) -> None:
            request.answer = {"text": text, "by": by, "at": at}
            request.sent.pop("answer", None)  # a new answer is mailed again
        return self.update(request_id, change)

    def mark_sent(self, request_id: str, kind: str, now: datetime | None = None) -> Request | None:
        at = format_created(now or datetime.now(timezone.utc))
        return self.update(request_id, lambda request: request.sent.__setitem__(kind, at))

    def redact(self, request_id: str) -> Request | None:
        """Remove the personal data (name, address, page, texts); keep the dates (the statistics)."""
        def change(request: Request) -> None:
            request.name = request.email = request.page = request.text = ERASED
            if request.answer:
                request.answer = {"text": ERASED, "by": request.answer.get("by", ""), "at": request.answer["at"]}
            request.redacted = True
        return self.update(request_id, change)
