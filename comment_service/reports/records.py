"""Readers' reports as files in the comment store, the store's way.

Layout under the store root (beside ``pending/``, ``approved/``, ``replies/``)::

    reports/<thread>/<comment id>/<report id>.json

One UTF-8 JSON object per report, written whole under ``tmp/``, fsynced and
renamed into place (``store.files``); closing a report is an atomic rewrite
under the store's moderation lock. The fields, all strings: id (the shape of
a comment id: time + random), comment_id, thread, reason (a key of the
moderation charter, ``rules.reasons.REASONS``), message (optional, may be empty),
created_at (``YYYY-MM-DDTHH:MM:SSZ``, UTC), status (``open``, ``kept`` or
``unpublished``) and, once closed, closed_at. No address, no name: the
guard alone keeps a daily keyed hash of the reporter's address, for its
window. Every name is checked with the store's patterns before a path is
built; a damaged file is reported with its path and skipped (the store's
policy).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..store import files
from ..store.layout import (CREATED_FORMAT, CREATED_RE, LOCK_NAME, REASON_RE, TMP, StoreError, _has_surrogate,
                            check_id, check_thread, file_name, format_created, id_from_file_name, is_comment_id,
                            is_thread_id, new_id, parse_record)

log = logging.getLogger("comment_service.store")

REPORTS = "reports"
FIELDS = ("id", "comment_id", "thread", "reason", "message", "created_at", "status")
OPEN, KEPT, UNPUBLISHED = "open", "kept", "unpublished"
STATUSES = (OPEN, KEPT, UNPUBLISHED)


@dataclass
class Report:
    id: str
    comment_id: str
    thread: str
    reason: str
    message: str
    created_at: str  # CREATED_FORMAT, UTC
    status: str = OPEN
    closed_at: str | None = None

    @property
    def created(self) -> datetime:
        return datetime.strptime(self.created_at, CREATED_FORMAT).replace(tzinfo=timezone.utc)

    @property
    def closed(self) -> datetime | None:
        if self.closed_at is None:
            return None
        return datetime.strptime(self.closed_at, CREATED_FORMAT).replace(tzinfo=timezone.utc)

    def to_json(self) -> bytes:
        obj = {k: v for k, v in asdict(self).items() if v is not None}
        return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "Report":
        """Parse a report file; ValueError (a short English reason) when damaged."""
        obj = parse_record(data, FIELDS)
        closed_at = obj.get("closed_at")
        if closed_at is not None and not isinstance(closed_at, str):
            raise ValueError("field 'closed_at' is not a string")
        report = cls(**{k: obj[k] for k in FIELDS}, closed_at=closed_at)
        report.check()
        return report

    def check(self) -> None:
        if not (is_comment_id(self.id) and is_comment_id(self.comment_id)):
            raise ValueError("invalid id or comment_id")
        if not is_thread_id(self.thread):
            raise ValueError(f"invalid thread {self.thread!r}")
        if not REASON_RE.fullmatch(self.reason) or self.status not in STATUSES:
            raise ValueError("invalid reason or status")
        for value in (self.created_at, self.closed_at or self.created_at):
            if not CREATED_RE.fullmatch(value):
                raise ValueError(f"invalid date {value!r}")
            datetime.strptime(value, CREATED_FORMAT)  # ValueError for 2026-13-45
        if _has_surrogate(self.message):
            raise ValueError("field 'message' holds a lone surrogate")


class ReportStore:
    """The reports of one comment store (same root as ``CommentStore``)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.base = self.root / REPORTS
        self.tmp = self.root / TMP

    def _folder(self, thread: str, comment_id: str) -> Path:
        return self.base / check_thread(thread) / check_id(comment_id)

    # -- writing ----------------------------------------------------------------
    def add(self, thread: str, comment_id: str, reason: str, message: str, now: datetime | None = None) -> Report:
        """Store a new open report durably; StoreError when the disk refuses."""
        now = now or datetime.now(timezone.utc)
        report = Report(id=new_id(now), comment_id=comment_id, thread=thread, reason=reason, message=message,
                        created_at=format_created(now))
        report.check()
        final = self._folder(thread, comment_id) / file_name(report.id)
        try:
            files.write_new(self.tmp, final, report.to_json(), report.id)
        except OSError as exc:
            raise StoreError(f"cannot write {final}: {exc}", exc.errno) from exc
        return report

    def _rewrite(self, report: Report) -> None:
        path = self._folder(report.thread, report.comment_id) / file_name(report.id)
        try:
            files.rewrite(self.tmp, path, report.to_json(), report.id)
        except OSError as exc:
            raise StoreError(f"cannot rewrite {path}: {exc}", exc.errno) from exc

    def close(self, comment_id: str, outcome: str, now: datetime | None = None) -> list[Report]:
        """Close every open report of a comment with ``outcome`` (kept or unpublished),
        under the store's moderation lock; return the reports closed."""
        if outcome not in (KEPT, UNPUBLISHED):
            raise ValueError(outcome)
        stamp = format_created(now or datetime.now(timezone.utc))
        closed = []
        with self._locked():
            for report in self.for_comment(comment_id):
                if report.status == OPEN:
                    report.status, report.closed_at = outcome, stamp
                    self._rewrite(report)
                    closed.append(report)
        return closed

    def clear_messages(self, reports: list[Report]) -> int:
        """Empty the message of each report (retention, erasure); the count changed."""
        changed = 0
        with self._locked():
            for report in reports:
                if report.message:
                    report.message = ""
                    self._rewrite(report)
                    changed += 1
        return changed

    def _locked(self):
        return _Lock(self.root / LOCK_NAME)

    # -- reading ----------------------------------------------------------------
    def _entries(self, folder: Path) -> list[str]:
        try:
            return sorted(n for n in os.listdir(folder) if not n.startswith("."))
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.warning("damaged report folder %s: cannot list: %s (skipped)", folder, exc.strerror)
            return []

    def _load(self, path: Path, thread: str, comment_id: str, report_id: str) -> Report | None:
        try:
            report = Report.from_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("damaged report file %s: %s (skipped)", path, exc)
            return None
        if (report.id, report.comment_id, report.thread) != (report_id, comment_id, thread):
            log.warning("damaged report file %s: its ids are not its place (skipped)", path)
            return None
        return report

    def _in(self, thread: str, comment_id: str) -> list[Report]:
        folder = self.base / thread / comment_id
        found = []
        for name in self._entries(folder):
            report_id = id_from_file_name(name)
            report = self._load(folder / name, thread, comment_id, report_id) if report_id else None
            if report is not None:
                found.append(report)
            elif report_id is None:
                log.warning("damaged report file %s: not a report file name (skipped)", folder / name)
        return sorted(found, key=lambda r: (r.created_at, r.id))

    def for_comment(self, comment_id: str) -> list[Report]:
        """Every report of one comment, oldest first (InvalidId for another shape)."""
        check_id(comment_id)
        for thread in self._entries(self.base):
            if is_thread_id(thread) and (self.base / thread / comment_id).is_dir():
                return self._in(thread, comment_id)
        return []

    def iter_all(self) -> Iterator[Report]:
        """Every readable report, thread by thread, comment by comment."""
        for thread in self._entries(self.base):
            if not is_thread_id(thread):
                continue
            for comment_id in self._entries(self.base / thread):
                if is_comment_id(comment_id):
                    yield from self._in(thread, comment_id)

    def open_by_comment(self) -> dict[str, list[Report]]:
        """The open reports, by comment id (comments with none left out)."""
        found: dict[str, list[Report]] = {}
        for report in self.iter_all():
            if report.status == OPEN:
                found.setdefault(report.comment_id, []).append(report)
        return found


class _Lock:
    """The store's moderation lock (``<store>/.moderation.lock``), held exclusively."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        try:
            files.ensure_dir(self.path.parent)
            self.fd = files.open_lock(self.path)
        except OSError as exc:
            raise StoreError(f"cannot lock {self.path}: {exc}", exc.errno) from exc
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)
