"""Console sessions: server-side, in ``<store>/console.sqlite3`` (shared by every
gunicorn worker, WAL mode).

A session id is 32 random bytes (``secrets.token_urlsafe``) sent only in the
cookie; the database keeps its SHA-256, so a copy of the database opens no
session. Before a login nothing is stored: the login form gets an id that
no row holds (``anonymous``) and a CSRF token derived from it with the
service's secret, so a visitor fetching the page adds no row. Each session
holds its account, its CSRF token, its creation and last
request times, a one-shot message for the next page (``flash``) and a second
factor being enrolled (``totp_pending``, never written to the accounts file
before it is confirmed). A session ends after ``idle`` seconds without a
request or ``max_age`` seconds after it began, and at logout; a login starts
a new session (a fixed id cannot be planted before it).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..store.files import private_database

SESSIONS_NAME = "console.sqlite3"  # beside the store
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY, account TEXT, csrf TEXT NOT NULL, created REAL NOT NULL,
    seen REAL NOT NULL, flash TEXT, totp_pending TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS totp_used (account TEXT NOT NULL, step INTEGER NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (account, step)) WITHOUT ROWID;
"""


class SessionError(Exception):
    """The session database cannot be used (disk full, read-only …)."""


@dataclass
class Session:
    sid: str  # the raw id (cookie value)
    account: str | None
    csrf: str
    created: float
    seen: float
    flash: str | None = None
    totp_pending: str | None = None


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8", "replace")).hexdigest()


class Sessions:
    def __init__(self, path: Path | str, idle: float, max_age: float, key: str = ""):
        self.path = Path(path)
        self.idle, self.max_age = idle, max_age
        self._key = ("login-form\0" + key).encode("utf-8", "surrogatepass")
        self._local = threading.local()

    def anonymous(self, sid: str, now: float) -> Session:
        """The login form's session, stored nowhere: ``sid`` (the cookie sent,
        else a new random one) and a CSRF token only the service can derive from it."""
        if not sid or len(sid) > 100:
            sid = secrets.token_urlsafe(32)
        csrf = hmac.new(self._key, sid.encode("utf-8", "replace"), hashlib.sha256).hexdigest()
        return Session(sid=sid, account=None, csrf=csrf, created=now, seen=now)

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        try:
            private_database(self.path)  # before SQLite: its -wal and -shm follow this mode
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise SessionError(f"cannot open {self.path}: {exc}") from exc
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _run(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        try:
            return self._db().execute(sql, args)
        except sqlite3.Error as exc:
            raise SessionError(str(exc)) from exc

    def create(self, account: str | None, now: float) -> Session:
        session = Session(sid=secrets.token_urlsafe(32), account=account, csrf=secrets.token_urlsafe(32),
                          created=now, seen=now)
        self._run("INSERT INTO sessions (id_hash, account, csrf, created, seen) VALUES (?, ?, ?, ?, ?)",
                  (_hash(session.sid), account, session.csrf, now, now))
        if secrets.randbelow(32) == 0:  # now and then, forget expired sessions
            self._run("DELETE FROM sessions WHERE seen < ? OR created < ?", (now - self.idle, now - self.max_age))
        return session

    def load(self, sid: str, now: float) -> Session | None:
        """The live session with this id (its last-seen time moved to now), or None."""
        if not sid or len(sid) > 100:
            return None
        row = self._run("SELECT account, csrf, created, seen, flash, totp_pending FROM sessions WHERE id_hash = ?",
                        (_hash(sid),)).fetchone()
        if row is None:
            return None
        session = Session(sid, *row)
        if now - session.seen > self.idle or now - session.created > self.max_age:
            self.end(sid)
            return None
        self._run("UPDATE sessions SET seen = ? WHERE id_hash = ?", (now, _hash(sid)))
        session.seen = now
        return session

    def claim_totp(self, account: str, step: int, now: float) -> bool:
        """Record a second-factor code's time step as used: True the first time only
        (a code seen by someone else cannot open a second session)."""
        self._run("DELETE FROM totp_used WHERE at < ?", (now - 600,))
        cur = self._run("INSERT OR IGNORE INTO totp_used (account, step, at) VALUES (?, ?, ?)", (account, step, now))
        return cur.rowcount == 1

    def end(self, sid: str) -> None:
        self._run("DELETE FROM sessions WHERE id_hash = ?", (_hash(sid),))

    def end_account(self, account: str) -> None:
        """Every session of an account (its password changed, it was removed)."""
        self._run("DELETE FROM sessions WHERE account = ?", (account,))

    def set_flash(self, session: Session, text: str | None) -> None:
        self._run("UPDATE sessions SET flash = ? WHERE id_hash = ?", (text, _hash(session.sid)))

    def pop_flash(self, session: Session) -> str | None:
        text = session.flash  # None for an anonymous session: nothing to update
        if text is not None:
            self.set_flash(session, None)
            session.flash = None
        return text

    def set_totp_pending(self, session: Session, secret: str | None) -> None:
        self._run("UPDATE sessions SET totp_pending = ? WHERE id_hash = ?", (secret, _hash(session.sid)))
        session.totp_pending = secret
