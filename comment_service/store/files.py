"""Durable file operations, the maildir way.

A file is written whole under ``tmp/``, flushed and fsynced, renamed into
place (atomic on one filesystem), then its folder is fsynced: readers only
ever see whole files, and once a write returns the file survives a crash.
On a failure the temporary file (or the renamed one, when the final folder
fsync failed) is removed. Only a process killed in the middle of a write
leaves its file in ``tmp/``: ``sweep_tmp`` removes such files once they are
old enough that no live write can own them.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import time
from pathlib import Path

log = logging.getLogger("comment_service.store")

# A write is one small file (a few kilobytes at most) created, written, fsynced
# and renamed in well under a second; the slowest legitimate case is a worker
# stalled on a struggling disk, and gunicorn kills a worker that is silent for
# 30 seconds. A file left in tmp/ for an hour has no live writer, yet an hour
# bounds how long the personal data of a failed submission stays on disk.
# (qmail's maildir suggests 36 hours; our files hold data the visitor was told
# were not stored, so shorter is better.)
TMP_MAX_AGE = 3600.0


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


#: Modes set explicitly (os.fchmod / os.chmod), whatever the umask (issue 21):
#: comments, replies and the audit log for the owner and its group (backups),
#: secrets (accounts, databases, locks) for the owner alone.
FILE_MODE = 0o640
DIR_MODE = 0o750
PRIVATE_MODE = 0o600


def _chmod_quietly(target, mode: int) -> None:
    """Set a mode when this user may (a file of another owner keeps its own)."""
    try:
        (os.fchmod if isinstance(target, int) else os.chmod)(target, mode)
    except (PermissionError, FileNotFoundError):
        pass


def open_lock(path: Path) -> int:
    """A lock file's descriptor (created owner-only)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_MODE)
    _chmod_quietly(fd, PRIVATE_MODE)
    return fd


def private_database(path: Path) -> None:
    """Create an SQLite file owner-only before SQLite opens it: SQLite gives its
    -wal and -shm files the database's mode, so they are owner-only too (and
    the ones an older version left are set again)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    # Never open and close an existing database file here: closing any
    # descriptor of a file drops every POSIX lock this process holds on it,
    # the locks of SQLite's own open connections included (a "disk I/O
    # error", or worse). O_EXCL opens only a file no connection can hold yet.
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_MODE))
    except FileExistsError:
        pass
    for suffix in ("", "-wal", "-shm"):
        _chmod_quietly(f"{path}{suffix}", PRIVATE_MODE)


def ensure_dir(path: Path) -> None:
    """Create a folder (and parents) if needed; fsync the parent of each new folder."""
    if path.is_dir():
        return
    missing = []
    p = path
    while not p.is_dir():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    os.makedirs(path, exist_ok=True)
    for p in reversed(missing):
        _chmod_quietly(p, DIR_MODE)
        fsync_dir(p.parent)


def _create(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def write_tmp(tmp: Path, data: bytes, name: str) -> Path:
    """``data`` written whole and fsynced in a new file under ``tmp``; OSError
    on failure (nothing is left behind)."""
    tmp_path = tmp / f"{name}.{secrets.token_hex(4)}.tmp"
    try:
        fd = _create(tmp_path)
    except FileNotFoundError:  # no tmp/ yet (checked only then: one stat less per write)
        ensure_dir(tmp)
        fd = _create(tmp_path)
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        unlink_quietly(tmp_path)
        raise
    return tmp_path


def write_new(tmp: Path, final: Path, data: bytes, name: str) -> None:
    """Write ``data`` to ``final`` (which must not exist) through ``tmp``; OSError
    on failure, with nothing left behind."""
    tmp_path = None
    renamed = False
    try:
        tmp_path = write_tmp(tmp, data, name)
        try:
            os.rename(tmp_path, final)
        except FileNotFoundError:  # the first file of its folder: the folder is made first
            ensure_dir(final.parent)
            os.rename(tmp_path, final)
        renamed = True
        fsync_dir(final.parent)
    except OSError:
        for leftover in (tmp_path, final if renamed else None):
            if leftover is not None:
                unlink_quietly(leftover)
        raise


def rewrite(tmp: Path, path: Path, data: bytes, name: str) -> None:
    """Replace the existing file ``path`` by ``data`` atomically; OSError on failure."""
    tmp_path = write_tmp(tmp, data, name)
    try:
        os.rename(tmp_path, path)
    except BaseException:
        unlink_quietly(tmp_path)
        raise
    fsync_dir(path.parent)


def sweep(tmp: Path, max_age: float = TMP_MAX_AGE, now: float | None = None) -> list[Path]:
    """Remove the regular files in ``tmp`` last modified more than ``max_age``
    seconds ago; return them. Younger files (live writes) are never touched;
    a file that vanishes meanwhile (renamed into place) is simply not counted.
    Failures are logged, never raised: sweeping is housekeeping."""
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(tmp))
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("cannot sweep %s: %s", tmp, exc.strerror)
        return []
    removed = []
    for entry in entries:
        try:
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime <= max_age:
                continue
            os.unlink(entry.path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("cannot sweep %s: %s", entry.path, exc.strerror)
            continue
        removed.append(Path(entry.path))
        log.warning("swept %s: left in tmp/ by an interrupted write", entry.path)
    if removed:
        try:
            fsync_dir(tmp)
        except OSError:
            pass
    return removed
