"""Shared state between worker processes: spent captchas and rate limits.

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
"""
PRUNE_PROBABILITY = 1 / 64


class GuardError(Exception):
    """The database could not be read or written (disk full, read-only, ...)."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0
    rowid: int | None = None


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
        try:
            conn = self._connect()
            conn.execute("BEGIN IMMEDIATE")
            try:
                if random.random() < PRUNE_PROBABILITY:
                    conn.execute("DELETE FROM hits WHERE bucket = ? AND ts <= ?", (bucket, now - limit.window))
                # The limit.count-th most recent hit inside the window, if any:
                # then the window is full until that hit leaves it.
                row = conn.execute(
                    "SELECT ts FROM hits WHERE bucket = ? AND client = ? AND ts > ? "
                    "ORDER BY ts DESC LIMIT 1 OFFSET ?",
                    (bucket, client, now - limit.window, limit.count - 1),
                ).fetchone()
                if row is not None:
                    conn.execute("COMMIT")
                    retry = max(1, math.ceil(row[0] + limit.window - now))
                    return Decision(False, retry)
                cur = conn.execute("INSERT INTO hits (bucket, client, ts) VALUES (?, ?, ?)", (bucket, client, now))
                conn.execute("COMMIT")
                return Decision(True, 0, cur.lastrowid)
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise GuardError(f"cannot update rate limit: {exc}") from exc

    def refund(self, rowid: int | None) -> None:
        """Forget a hit (the request it counted failed on our side)."""
        if rowid is None:
            return
        try:
            self._connect().execute("DELETE FROM hits WHERE rowid = ?", (rowid,))
        except (sqlite3.Error, GuardError):
            pass
