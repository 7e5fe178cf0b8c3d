"""Shared state between worker processes: spent captchas, rate limits, answered submissions.

The interface and the client-key hashing are in ``guard_base``; the Redis/Valkey
backend for several servers is ``guard_redis``; ``open_guard(config)`` picks one.
This module is the SQLite backend, the default: one SQLite database in the
store folder (``guard.sqlite3``, WAL mode). SQLite's own file locking makes each operation atomic across every gunicorn worker:

- ``spend(nonce)`` is one ``INSERT OR IGNORE`` on a primary key: exactly one
  caller, in whatever process, sees the insert succeed; every other use of the
  same captcha is refused. Expired nonces are pruned from time to time.
- Client addresses are never stored: ``hit``/``reserve`` record a keyed hash
  of the address (HMAC-SHA256, truncated to 128 bits) under a key that
  changes every UTC day, derived from ``COMMENTS_SECRET`` and the day number,
  so every worker computes the same key without sharing anything. A window
  that crosses midnight is checked under the key of every day it touches
  (today's and yesterday's for any window up to a day): rotation never opens
  a gap in a limit. Each hit carries ``expires`` (its time plus its window)
  and is deleted once that passes, by every new hit (a trigger), every
  count that reads the window and ``prune()`` (``python -m comment_service personal-data purge``).
  ``PRAGMA secure_delete`` zeroes deleted rows in the file. A database from
  before hashing has its clear addresses replaced by their hashes when it is
  first opened, then its write-ahead log is truncated.
- ``label(client)`` is how logs name a client: a short keyed hash of the day
  (``client-3fa9c2e1``), the address itself only when the operator turns
  ``COMMENTS_LOG_CLIENT_ADDRESSES`` on.
- ``hit(bucket, client, limit)`` is an exact sliding window. A table of
  tallies (hits per bucket and client key, kept by triggers) decides the
  common case in one statement (atomic, under the write lock): under the
  limit, the hit is recorded without reading the window. A full tally reads
  it in a ``BEGIN IMMEDIATE`` transaction: the ``limit.count``-th most recent
  hit of the client in the last ``limit.window`` seconds; if there is one,
  no hit is recorded and the seconds until it leaves the window are returned
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
- ``admit(entry)`` does what a posted comment needs (recall, spend, reserve)
  in one transaction, ``settle(...)`` confirms and remembers in one.
"""

from __future__ import annotations

import math
import os
import random
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .. import defaults
from ..config import Config, RateLimit
from ..store.files import private_database
from .base import (DAY, RESERVATION_LEASE, SUBMISSION_TTL, Admission, Answered, ClientKeys, Decision, Entry,
                         GuardBackend, GuardError)

__all__ = ["DAY", "RESERVATION_LEASE", "SUBMISSION_TTL", "Admission", "Answered", "Decision", "Entry", "Guard",
           "GuardBackend", "GuardError", "open_guard"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spent (nonce TEXT PRIMARY KEY, expires REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spent_expires ON spent (expires);
CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, client TEXT NOT NULL, ts REAL NOT NULL,
                                 lease REAL, expires REAL);
CREATE INDEX IF NOT EXISTS hits_key ON hits (bucket, client, ts);

CREATE TABLE IF NOT EXISTS submissions (
    thread TEXT NOT NULL, submission TEXT NOT NULL, comment_id TEXT NOT NULL, status TEXT NOT NULL,
    expires REAL NOT NULL, PRIMARY KEY (thread, submission)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS submissions_expires ON submissions (expires);
"""
# After the upgrade of an old database (which lacks these columns). Every
# new hit deletes the hits whose window or lease has ended, whatever their bucket.
_INDEXES = """
CREATE INDEX IF NOT EXISTS hits_expires ON hits (expires);
CREATE INDEX IF NOT EXISTS hits_lease ON hits (lease);
CREATE TRIGGER IF NOT EXISTS hits_expire AFTER INSERT ON hits BEGIN
  DELETE FROM hits WHERE expires <= NEW.ts OR lease <= NEW.ts;
END;
"""
# The number of hits of each (bucket, client key), kept by triggers on hits (no
# update changes a hit's bucket or client);
# created with its triggers and filled from hits in one transaction (version 3).
_TALLIES = [
    """CREATE TABLE tallies (bucket TEXT NOT NULL, client TEXT NOT NULL, n INTEGER NOT NULL,
                             PRIMARY KEY (bucket, client)) WITHOUT ROWID""",
    """CREATE TRIGGER hits_tally_add AFTER INSERT ON hits BEGIN
         INSERT INTO tallies (bucket, client, n) VALUES (NEW.bucket, NEW.client, 1)
         ON CONFLICT (bucket, client) DO UPDATE SET n = n + 1;
       END""",
    """CREATE TRIGGER hits_tally_remove AFTER DELETE ON hits BEGIN
         UPDATE tallies SET n = n - 1 WHERE bucket = OLD.bucket AND client = OLD.client;
         DELETE FROM tallies WHERE bucket = OLD.bucket AND client = OLD.client AND n <= 0;
       END""",
    "INSERT INTO tallies (bucket, client, n) SELECT bucket, client, COUNT(*) FROM hits GROUP BY bucket, client",
]
_DELETE_GONE = "DELETE FROM hits WHERE expires <= ? OR lease <= ?"
_SPEND = "INSERT OR IGNORE INTO spent (nonce, expires) VALUES (?, ?)"
_RECALL = "SELECT comment_id, status FROM submissions WHERE thread = ? AND submission = ? AND expires >= ?"
_REMEMBER = ("INSERT OR IGNORE INTO submissions (thread, submission, comment_id, status, expires) "
             "VALUES (?, ?, ?, ?, ?)")
_CONFIRM = "UPDATE hits SET lease = NULL WHERE rowid = ?"
_INSERT_HIT = "INSERT INTO hits (bucket, client, ts, lease, expires) VALUES (?, ?, ?, ?, ?)"
# {marks}: one ? per day key (see _window_keys). A hit recorded only while the
# client's tally is under the limit (one statement: atomic, under the write
# lock); else the limit.count-th most recent counted hit inside the window.
_INSERT_UNDER = ("INSERT INTO hits (bucket, client, ts, lease, expires) SELECT ?, ?, ?, ?, ? "
                 "WHERE (SELECT COALESCE(SUM(n), 0) FROM tallies WHERE bucket = ? AND client IN ({marks})) < ?")
_NTH_HIT = ("SELECT ts FROM hits WHERE bucket = ? AND client IN ({marks}) AND ts > ? "
            "AND (lease IS NULL OR lease > ?) ORDER BY ts DESC LIMIT 1 OFFSET ?")
PRUNE_PROBABILITY = 1 / 64
#: PRAGMA user_version of a database whose hits hold keyed hashes only (2)
#: and are tallied (3).
SCHEMA_VERSION = 3
#: The SQLite guard's file, in the store folder.
GUARD_FILE = "guard.sqlite3"


def open_guard(config: Config) -> GuardBackend:
    """The guard the configuration asks for: Redis/Valkey when COMMENTS_GUARD_URL
    is set, else SQLite in the store folder."""
    if config.guard_url:
        from .redis_backend import RedisGuard

        return RedisGuard(config.guard_url, config.secret, config.log_client_addresses)
    return Guard(config.store / GUARD_FILE, config.secret, config.log_client_addresses)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE: one writer at a time), committed or rolled back."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class Guard(ClientKeys):
    """The SQLite backend. ``secret`` is COMMENTS_SECRET (the development one by
    default, for tests); ``log_addresses`` is COMMENTS_LOG_CLIENT_ADDRESSES."""

    def __init__(self, path: Path | str, secret: str = defaults.DEV_SECRET, log_addresses: bool = False):
        super().__init__(secret, log_addresses)
        self.path = Path(path)
        self._local = threading.local()

    # -- the database ---------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        try:
            private_database(self.path)  # before SQLite: its -wal and -shm follow this mode
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA secure_delete = ON")  # deleted rows are zeroed in the file
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":  # pragma: no cover - e.g. a filesystem without shared memory
                raise GuardError(f"cannot use WAL mode for {self.path} (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.executescript(_SCHEMA)
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                self._upgrade(conn)
            conn.executescript(_INDEXES)
        except (sqlite3.Error, OSError) as exc:
            raise GuardError(f"cannot open {self.path}: {exc}") from exc
        self._local.conn = conn
        self._local.pid = os.getpid()
        return conn

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        """An older database: hash its clear addresses and add the columns (before
        version 2), then tally its hits (before version 3)."""
        with _transaction(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # not done meanwhile?
            if version < 2:
                columns = {row[1] for row in conn.execute("PRAGMA table_info(hits)")}
                for column in ("lease", "expires"):
                    if column not in columns:
                        conn.execute(f"ALTER TABLE hits ADD COLUMN {column} REAL")
                rows = conn.execute("SELECT rowid, client, ts FROM hits").fetchall()
                for rowid, client, ts in rows:  # old windows were at most a day long
                    conn.execute("UPDATE hits SET client = ?, expires = ? WHERE rowid = ?",
                                 (self.client_key(client, ts), ts + DAY, rowid))
            if version < 3:
                for statement in _TALLIES:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if version < 2:  # the clear values may still sit in old log frames: copy and empty the log
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def prune(self, now: float | None = None) -> int:
        """Delete every expired hit, lapsed reservation, spent nonce and
        remembered submission; return the number of hits deleted."""
        now = time.time() if now is None else now
        try:
            conn = self._connect()
            cur = conn.execute(_DELETE_GONE, (now, now))
            conn.execute("DELETE FROM spent WHERE expires < ?", (now,))
            conn.execute("DELETE FROM submissions WHERE expires < ?", (now,))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return cur.rowcount
        except sqlite3.Error as exc:
            raise GuardError(f"cannot prune {self.path}: {exc}") from exc

    def spend(self, nonce: str, expires: float, now: float, issued: float | None = None) -> bool:
        """Record a captcha nonce as used. True if this call was the first use.
        (``issued``, the token's issue time, matters to the Redis backend only.)"""
        try:
            return self._spend(self._connect(), nonce, expires, now)
        except sqlite3.Error as exc:
            raise GuardError(f"cannot record captcha use: {exc}") from exc

    @staticmethod
    def _spend(conn: sqlite3.Connection, nonce: str, expires: float, now: float) -> bool:
        if random.random() < PRUNE_PROBABILITY:
            conn.execute("DELETE FROM spent WHERE expires < ?", (now,))
        return conn.execute(_SPEND, (nonce, expires)).rowcount == 1

    def _count(self, bucket: str, client: str, limit: RateLimit, now: float, lease: float | None) -> Decision:
        try:
            conn = self._connect()
            keys = self._window_keys(client, now, limit.window)
            decision = self._count_under(conn, bucket, keys, limit, now, lease)  # one statement: atomic
            if decision is None:
                with _transaction(conn):
                    decision = self._count_window(conn, bucket, keys, limit, now, lease)
            return decision
        except sqlite3.Error as exc:
            raise GuardError(f"cannot update rate limit: {exc}") from exc

    @staticmethod
    def _count_under(conn: sqlite3.Connection, bucket: str, keys: list[str], limit: RateLimit, now: float,
                     lease: float | None) -> Decision | None:
        """The hit recorded if the client's tally is under the limit (every hit left
        counts, each once: then so is the window), else None."""
        cur = conn.execute(_INSERT_UNDER.format(marks=",".join("?" * len(keys))),
                           (bucket, keys[-1], now, lease, now + limit.window, bucket, *keys, limit.count))
        return Decision(True, 0, cur.lastrowid) if cur.rowcount == 1 else None

    @staticmethod
    def _count_window(conn: sqlite3.Connection, bucket: str, keys: list[str], limit: RateLimit, now: float,
                      lease: float | None) -> Decision:
        """A full tally (inside a write transaction): the window itself decides."""
        conn.execute(_DELETE_GONE, (now, now))  # every hit leaves with its window, whatever its bucket
        row = conn.execute(_NTH_HIT.format(marks=",".join("?" * len(keys))),
                           (bucket, *keys, now - limit.window, now, limit.count - 1)).fetchone()
        if row is not None:  # the window is full until that hit leaves it
            return Decision(False, max(1, math.ceil(row[0] + limit.window - now)))
        cur = conn.execute(_INSERT_HIT, (bucket, keys[-1], now, lease, now + limit.window))
        return Decision(True, 0, cur.lastrowid)

    def admit(self, entry: Entry) -> Admission:
        """Recall, spend, reserve (see ``guard_base.Entry``) in one transaction."""
        try:
            with _transaction(self._connect()) as conn:
                if entry.submission:
                    row = conn.execute(_RECALL, (entry.thread, entry.submission, entry.now)).fetchone()
                    if row is not None:
                        return Admission(answered=Answered(*row))
                spent = None
                if entry.nonce:
                    spent = self._spend(conn, entry.nonce, entry.nonce_expires, entry.now)
                    if not spent:
                        return Admission(spent=False)
                if entry.limit is None:
                    return Admission(spent=spent)
                keys, lease = self._window_keys(entry.client, entry.now, entry.limit.window), entry.now + entry.lease
                args = (conn, entry.bucket, keys, entry.limit, entry.now, lease)
                return Admission(spent=spent, reservation=self._count_under(*args) or self._count_window(*args))
        except sqlite3.Error as exc:
            raise GuardError(f"cannot check a post in the guard: {exc}") from exc

    def settle(self, rowid: int | None, thread: str, submission: str, answer: Answered, now: float,
               ttl: float = SUBMISSION_TTL) -> None:
        """confirm(rowid) and, with a submission id, remember(...): one transaction."""
        if not submission:
            return self.confirm(rowid)  # one statement
        try:
            with _transaction(self._connect()) as conn:
                if rowid is not None:
                    conn.execute(_CONFIRM, (rowid,))
                if submission:
                    self._remember(conn, thread, submission, answer, now, ttl)
        except sqlite3.Error as exc:
            raise GuardError(f"cannot record a stored comment in the guard: {exc}") from exc

    def confirm(self, rowid: int | None) -> None:
        """Make a reservation a permanent hit (the comment it counted was stored)."""
        if rowid is None:
            return
        try:
            self._connect().execute(_CONFIRM, (rowid,))
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
            self._remember(self._connect(), thread, submission, answer, now, ttl)
        except sqlite3.Error as exc:
            raise GuardError(f"cannot record submission: {exc}") from exc

    @staticmethod
    def _remember(conn: sqlite3.Connection, thread: str, submission: str, answer: Answered, now: float,
                  ttl: float) -> None:
        if random.random() < PRUNE_PROBABILITY:
            conn.execute("DELETE FROM submissions WHERE expires < ?", (now,))
        conn.execute(_REMEMBER, (thread, submission, answer.comment_id, answer.status, now + ttl))

    def recall(self, thread: str, submission: str, now: float) -> Answered | None:
        """The answer given to this submission, if it is known and not expired."""
        try:
            row = self._connect().execute(_RECALL, (thread, submission, now)).fetchone()
        except sqlite3.Error as exc:
            raise GuardError(f"cannot read submissions: {exc}") from exc
        return Answered(*row) if row else None
