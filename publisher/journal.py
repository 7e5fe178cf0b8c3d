"""Who published what: an append-only journal of the site's publications.

``SITE_ROOT/publications.jsonl``, one JSON object per line, never rewritten::

    {"time": "2026-12-07T15:42:10+00:00", "outcome": "published", "kind": "edit",
     "release": "…", "commit": "3f2a…", "author": "Claire Martin", "subject": "…",
     "files": ["content/articles/a.md"], "report": ""}

``outcome``: ``published`` (a release made or updated by the publisher), or
``refused`` (a build or a push refused: ``report`` is the French report the
editor saw). ``kind``: ``full``, ``edit`` (the publisher's kinds) or ``push``
(a push the server's ``pre-receive`` hook refused). Comment and search-index
publications are not journaled (they are the moderators', not the editors').

Each line is written by one ``write`` on a file opened for appending, under
an exclusive ``flock`` (the publisher and the git hooks write to one file),
then fsynced: a line is whole or absent. Readers (``read_last``, the
console's « Publications » page) skip a damaged line rather than fail.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path

JOURNAL_NAME = "publications.jsonl"
#: The longest report kept in a line (a build refusing 5,000 files is long).
REPORT_MAX = 20_000
#: The most files named in a line (a full release of a new site lists them all).
FILES_MAX = 200
#: How much of the end of the journal ``read_last`` reads.
TAIL_BYTES = 512 * 1024


def journal_path(site_root: Path | str) -> Path:
    return Path(site_root) / JOURNAL_NAME


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def record(site_root: Path | str, outcome: str, kind: str, *, release: str = "",
           commit: str = "", author: str = "", subject: str = "", files=(),
           report: str = "", time: str | None = None) -> dict:
    """Append one publication to the journal (created when absent); return it."""
    files = sorted(set(files))
    entry = {"time": time or now_iso(), "outcome": outcome, "kind": kind, "release": release,
             "commit": commit, "author": author, "subject": subject,
             "files": files[:FILES_MAX], "more_files": max(0, len(files) - FILES_MAX),
             "report": report[:REPORT_MAX]}
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    path = journal_path(site_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)  # releases the lock
    return entry


def read_last(site_root: Path | str, limit: int = 50) -> list[dict]:
    """The last ``limit`` entries, newest first; damaged lines are skipped."""
    path = journal_path(site_root)
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - TAIL_BYTES))
            data = handle.read()
    except FileNotFoundError:
        return []
    lines = data.split(b"\n")
    if len(data) == TAIL_BYTES or (size > TAIL_BYTES):
        lines = lines[1:]  # the first one may be cut
    entries = []
    for raw in reversed(lines):
        if len(entries) >= limit:
            break
        try:
            entry = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        if isinstance(entry, dict) and isinstance(entry.get("outcome"), str):
            entries.append(entry)
    return entries
