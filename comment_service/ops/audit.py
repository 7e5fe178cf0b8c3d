"""The audit log: who did what to which comment, when, from where.

One JSON object per line in ``<store>/audit.jsonl`` (UTF-8, ``ensure_ascii=False``),
append-only: each entry is written with one ``write()`` on a descriptor opened
with ``O_APPEND`` (so lines from several processes never interleave: Linux
appends a single write atomically on a local filesystem) and fsynced before
``append()`` returns. Only the retention purge and an erasure rewrite the file
(``personal_data.rewrite_audit``): they hold ``audit.lock`` exclusively while
they read, transform and rename, and every append holds it shared while it
opens and writes (``locked``), so no append can go to a file being replaced.

An entry::

    {"at": "2026-12-01T15:20:00Z", "actor": "alice", "action": "approve",
     "comment_id": "…", "thread": "…", "source": "console 192.0.2.1", ...details}

``actor`` is a moderator account, ``cli:<user>`` for the command line, or
``system``. ``source`` says where from (``console <address>``, ``cli``).
Reading (``entries()``) skips a damaged line (reported on the
``comment_service.ops.audit`` logger), never raises because of what the file holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..store.files import FILE_MODE, open_lock

log = logging.getLogger("comment_service.ops.audit")

AUDIT_NAME = "audit.jsonl"
AUDIT_LOCK = "audit.lock"
#: The log names moderators and their addresses: owner read-write, group read (backups).
AUDIT_MODE = FILE_MODE
AT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_RESERVED = ("at", "actor", "action", "comment_id", "thread", "source")
#: Fields the service fills with its own words (times, moderators, states,
#: reason codes, ids, moderators' addresses): never a commenter's data, so an
#: erasure leaves them alone even when one equals the commenter's name.
SERVICE_FIELDS = frozenset(_RESERVED + ("address", "previous", "reason", "account", "bucket", "comment_ids"))


class AuditError(Exception):
    """The audit log could not be written (the action it records must then be refused or reported)."""


@contextlib.contextmanager
def locked(store_root: Path | str, exclusive: bool):
    """Hold ``<store>/audit.lock``: shared by appenders, exclusive by a rewrite."""
    fd = open_lock(Path(store_root) / AUDIT_LOCK)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # releases the lock


class AuditLog:
    def __init__(self, store_root: Path | str):
        self.path = Path(store_root) / AUDIT_NAME

    def append(self, actor: str, action: str, *, comment_id: str | None = None, thread: str | None = None,
               source: str | None = None, now: datetime | None = None, **details) -> dict:
        """Write one entry durably and return it; AuditError when the disk refuses."""
        clash = set(details) & set(_RESERVED)
        if clash:
            raise ValueError(f"reserved audit fields: {sorted(clash)}")
        moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
        entry = {"at": moment.strftime(AT_FORMAT), "actor": actor, "action": action}
        for key, value in (("comment_id", comment_id), ("thread", thread), ("source", source)):
            if value is not None:
                entry[key] = value
        entry.update(details)
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8", "surrogatepass")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with locked(self.path.parent, exclusive=False):
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, AUDIT_MODE)
                try:
                    os.fchmod(fd, AUDIT_MODE)
                    os.write(fd, line)
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            raise AuditError(f"cannot write {self.path}: {exc}") from exc
        return entry

    def entries(self) -> Iterator[dict]:
        """Every readable entry, oldest first (the file's order)."""
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            return
        with handle:
            for number, raw in enumerate(handle, 1):
                try:
                    entry = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    log.warning("damaged audit line %s:%d (skipped)", self.path, number)
                    continue
                if isinstance(entry, dict):
                    yield entry
                else:
                    log.warning("damaged audit line %s:%d (skipped)", self.path, number)
