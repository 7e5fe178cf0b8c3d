"""Issue 21, item 7: every file and folder of the store, its databases (with
SQLite's -wal and -shm), moderators.json and the backups get the mode they
need whatever the umask (000 and 022 tried)."""

from __future__ import annotations

import os
import stat
import time

import pytest

from comment_service.ops import backup
from comment_service.ops.audit import AuditLog
from comment_service.console.accounts import Accounts
from comment_service.console.sessions import SESSIONS_NAME, Sessions
from comment_service.guard.sqlite import Guard
from comment_service.store import CommentStore

PRIVATE = {"moderators.json", "guard.sqlite3", "guard.sqlite3-wal", "guard.sqlite3-shm",
           SESSIONS_NAME, SESSIONS_NAME + "-wal", SESSIONS_NAME + "-shm"}


@pytest.fixture(params=[0o000, 0o022], ids=["umask000", "umask022"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _modes(root):
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = stat.S_IMODE(os.lstat(path).st_mode)
    return out


def _expected(rel: str, mode: int, is_dir: bool) -> None:
    name = os.path.basename(rel)
    if is_dir:
        assert mode == 0o750, (rel, oct(mode))
    elif name in PRIVATE or name.startswith(".") or name.endswith(".lock"):
        assert mode == 0o600, (rel, oct(mode))
    else:
        assert mode == 0o640, (rel, oct(mode))


def _check_tree(root):
    modes = _modes(root)
    assert modes
    for rel, mode in modes.items():
        _expected(rel, mode, os.path.isdir(os.path.join(root, rel)))
    return modes


def test_modes_do_not_depend_on_the_umask(tmp_path, umask):
    root = tmp_path / "store"
    store = CommentStore(root)
    c = store.add("fil-un", "Zoé", "zoe@example.org", "Bonjour")
    store.move(c.id, "approved")
    store.set_reply(c.id, "Direction", "Merci.", "alice")
    store.add("fil-deux", "Karim", "", "Salut")
    now = time.time()
    guard = Guard(root / "guard.sqlite3")
    guard.spend("ab" * 12, now + 600, now)
    Accounts(root).add("alice", "correct horse battery staple")
    sessions = Sessions(root / SESSIONS_NAME, 600, 3600, "k" * 40)
    sessions.create("alice", now)
    AuditLog(root).append("alice", "approve", comment_id=c.id)
    modes = _check_tree(root)
    for name in ("guard.sqlite3-wal", SESSIONS_NAME + "-wal", "moderators.json", "audit.jsonl"):
        assert name in modes, sorted(modes)

    copy = tmp_path / "copy"
    backup.backup(root, copy)
    _check_tree(copy)
    restored = tmp_path / "restored"
    backup.restore(copy, restored)
    _check_tree(restored)


def test_making_the_database_private_keeps_this_process_s_sqlite_locks(tmp_path):
    """Opening and closing a descriptor of the database file would drop every
    POSIX lock this process holds on it (SQLite's own): a second connection
    made while the first holds a write lock must not let another process in."""
    import sqlite3
    import subprocess
    import sys

    from comment_service.store.files import private_database

    path = tmp_path / "guard.sqlite3"
    private_database(path)
    first = sqlite3.connect(path, isolation_level=None)
    first.execute("CREATE TABLE t (x)")
    first.execute("BEGIN IMMEDIATE")  # a write lock, held
    private_database(path)  # what the next thread's or Guard's connection does first
    other = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=0, "
         "isolation_level=None)\ntry:\n c.execute('BEGIN IMMEDIATE'); print('got the lock')\n"
         "except sqlite3.OperationalError as e: print(e)", str(path)],
        capture_output=True, text=True, timeout=60)
    first.execute("ROLLBACK")
    assert other.stdout.strip() == "database is locked", other.stdout + other.stderr
