"""Shared state between worker processes: spent captchas, rate limits, answered submissions.

One SQLite database in the store folder (``guard.sqlite3``, WAL mode). SQLite's
own file locking makes each operation atomic across every gunicorn worker:

- ``spend(nonce)`` is one ``INSERT OR IGNORE`` on a primary key: exactly one
  caller, in whatever process, sees the insert succeed; every other use of the
  same captcha is refused. Expired nonces are pruned from time to time.
- ``hit(bucket, client, limit)`` is an exact sliding window: inside a
  ``BEGIN IMMEDIATE`` transaction (one writer at a time) it looks for the
  ``limit.count``-th most recent hit of the client in the last
  ``limit.window`` seconds and records a new hit only if there is none. When
  refused, it returns the number of seconds until that hit leaves the window
  (the Retry-After value).
- ``reserve(...)`` is ``hit()`` for an event that may not happen (a comment
  that may fail to be stored): the hit is recorded with a lease, and counts
  only while the lease runs unless ``confirm()`` makes it permanent (after
  the comment is stored); ``release()`` forgets it at once (the store failed).
  A request killed between the two (a worker killed, a timeout) leaves a
  reservation that stops counting by itself when its lease ends: only stored
  comments use up the limit. Why a reservation rather than "check, store,
  then record": the check and the record would be two transactions, so
  simultaneous requests in several workers would all pass the check before
  any of them recorded, and more comments than the limit would be stored.
  A reservation is taken in the same transaction as the check, so requests
  in flight count against the limit and it holds exactly across workers.
- ``remember(thread, submission_id, answer)`` records the answer given to a
  stored submission (``INSERT OR IGNORE``: the first answer stays);
  ``recall()`` finds it again, until it expires (a day by default), so a form
  sent twice (a connection dropped before the answer came) is answered the
  same way and stored once.
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from .config import RateLimit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spent (nonce TEXT PRIMARY KEY, expires REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spent_expires ON spent (expires);
CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, client TEXT NOT NULL, ts REAL NOT NULL);
CREATE INDEX IF NOT EXISTS hits_key ON hits (bucket, client, ts);
CREATE TABLE IF NOT EXISTS submissions (
    thread TEXT NOT NULL, submission TEXT NOT NULL, comment_id TEXT NOT NULL, status TEXT NOT NULL,
    expires REAL NOT NULL, PRIMARY KEY (thread, submission)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS submissions_expires ON submissions (expires);
"""
PRUNE_PROBABILITY = 1 / 64
# A reservation counts this long unless confirmed: far longer than storing a
# comment takes, longer than gunicorn's worker timeout (30 s by default).
RESERVATION_LEASE = 120.0
SUBMISSION_TTL = 24 * 3600.0


class GuardError(Exception):
    """The database could not be read or written (disk full, read-only, ...)."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0
    rowid: int | None = None


@dataclass(frozen=True)
class Answered:
    """The answer given to a stored submission."""

    comment_id: str
    status: str


class Guard:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA busy_timeout = 30000")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":  # pragma: no cover - e.g. a filesystem without shared memory
                raise GuardError(f"cannot use WAL mode for {self.path} (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.executescript(_SCHEMA)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(hits)")}
            if "lease" not in columns:  # a database from before reservations
                try:
                    conn.execute("ALTER TABLE hits ADD COLUMN lease REAL")  # NULL: a permanent hit
                except sqlite3.OperationalError:  # another worker added it first
                    pass
        except (sqlite3.Error, OSError) as exc:
            raise GuardError(f"cannot open {self.path}: {exc}") from exc
        self._local.conn = conn
        self._local.pid = os.getpid()
        return conn

    def spend(self, nonce: str, expires: float, now: float) -> bool:
        """Record a captcha nonce as used. True if this call was the first use."""
        try:
            conn = self._connect()
            if random.random() < PRUNE_PROBABILITY:
                conn.execute("DELETE FROM spent WHERE expires < ?", (now,))
            cur = conn.execute("INSERT OR IGNORE INTO spent (nonce, expires) VALUES (?, ?)", (nonce, expires))
            return cur.rowcount == 1
        except sqlite3.Error as exc:
            raise GuardError(f"cannot record captcha use: {exc}") from exc

    def hit(self, bucket: str, client: str, limit: RateLimit, now: float) -> Decision:
        """Count one event for (bucket, client) unless the limit is reached."""
        return self._count(bucket, client, limit, now, None)

    def reserve(self, bucket: str, client: str, limit: RateLimit, now: float,
                lease: float = RESERVATION_LEASE) -> Decision:
        """Like hit(), but the hit counts only until ``now + lease`` unless confirmed."""
        return self._count(bucket, client, limit, now, now + lease)

    def _count(self, bucket: str, client: str, limit: RateLimit, now: float, lease: float | None) -> Decision:
        try:
            conn = self._connect()
            conn.execute("BEGIN IMMEDIATE")
            try:
                if random.random() < PRUNE_PROBABILITY:
                    conn.execute("DELETE FROM hits WHERE bucket = ? AND (ts <= ? OR lease <= ?)",
                                 (bucket, now - limit.window, now))
                # The limit.count-th most recent counted hit inside the window, if
                # any: then the window is full until that hit leaves it.
                row = conn.execute(
                    "SELECT ts FROM hits WHERE bucket = ? AND client = ? AND ts > ? "
                    "AND (lease IS NULL OR lease > ?) ORDER BY ts DESC LIMIT 1 OFFSET ?",
                    (bucket, client, now - limit.window, now, limit.count - 1),
                ).fetchone()
                if row is not None:
                    conn.execute("COMMIT")
                    retry = max(1, math.ceil(row[0] + limit.window - now))
                    return Decision(False, retry)
                cur = conn.execute("INSERT INTO hits (bucket, client, ts, lease) VALUES (?, ?, ?, ?)",
                                   (bucket, client, now, lease))
                conn.execute("COMMIT")
                return Decision(True, 0, cur.lastrowid)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise GuardError(f"cannot update rate limit: {exc}") from exc

    def confirm(self, rowid: int | None) -> None:
        """Make a reservation a permanent hit (the comment it counted was stored)."""
        if rowid is None:
            return
        try:
            self._connect().execute("UPDATE hits SET lease = NULL WHERE rowid = ?", (rowid,))
        except sqlite3.Error as exc:
            raise GuardError(f"cannot confirm rate-limit hit: {exc}") from exc

    def release(self, rowid: int | None) -> None:
        """Forget a hit (the request it counted failed on our side); never raises."""
        if rowid is None:
            return
        try:
            self._connect().execute("DELETE FROM hits WHERE rowid = ?", (rowid,))
        except (sqlite3.Error, GuardError):
            pass

    def remember(self, thread: str, submission: str, answer: Answered, now: float,
                 ttl: float = SUBMISSION_TTL) -> None:
        """Record the answer given to a stored submission (the first one stays)."""
        try:
            conn = self._connect()
            if random.random() < PRUNE_PROBABILITY:
                conn.execute("DELETE FROM submissions WHERE expires < ?", (now,))
            conn.execute("INSERT OR IGNORE INTO submissions (thread, submission, comment_id, status, expires) "
                         "VALUES (?, ?, ?, ?, ?)", (thread, submission, answer.comment_id, answer.status, now + ttl))
        except sqlite3.Error as exc:
            raise GuardError(f"cannot record submission: {exc}") from exc

    def recall(self, thread: str, submission: str, now: float) -> Answered | None:
        """The answer given to this submission, if it is known and not expired."""
        try:
            row = self._connect().execute(
                "SELECT comment_id, status FROM submissions WHERE thread = ? AND submission = ? AND expires >= ?",
                (thread, submission, now)).fetchone()
        except sqlite3.Error as exc:
            raise GuardError(f"cannot read submissions: {exc}") from exc
        return Answered(*row) if row else None
