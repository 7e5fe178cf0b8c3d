"""The comment store: one JSON file per comment, maildir style.

Layout under the store root::

    tmp/                         files being written
    pending/<thread>/<id>.json   waiting for a moderator
    approved/<thread>/<id>.json  published by the next site build
    rejected/<thread>/<id>.json  kept, never published

A comment is written whole under ``tmp/``, flushed and fsynced, renamed into
place (atomic on one filesystem), then the directory is fsynced: readers only
ever see whole files, and once ``add()`` returns the comment survives a crash.
On any failure nothing is left behind (the temporary file, or the renamed
one if the final directory fsync failed, is removed) and StoreError is raised.

Moderation moves a file between state folders with rename(). The folder is
the truth. Moderation changes (move, delete) hold an exclusive ``flock`` on
``<store>/.moderation.lock``, so two moderators never act on one comment at
once. A move first renames the file into the new state folder (a rename that
fails because the file is gone means someone else moved or deleted it:
NotFound), then rewrites the ``status`` field there atomically (temporary
file, fsync, rename, folder fsync); if that rewrite fails the file is moved
back.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

STATES = ("pending", "approved", "rejected")
LOCK_NAME = ".moderation.lock"
ID_RE = re.compile(r"^[0-9]{8}T[0-9]{12}Z-[0-9a-f]{12}$")
THREAD_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$")


class StoreError(Exception):
    """The disk refused a write (ENOSPC, EROFS, EACCES, ...). Nothing was stored."""

    def __init__(self, message: str, errno_: int | None = None):
        super().__init__(message)
        self.errno = errno_


class InvalidId(ValueError):
    pass


class NotFound(LookupError):
    pass


@dataclass
class Comment:
    id: str
    thread: str
    name: str
    email: str
    text: str
    created_at: str
    status: str

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "Comment":
        obj = json.loads(data.decode("utf-8"))
        return cls(**{k: obj[k] for k in ("id", "thread", "name", "email", "text", "created_at", "status")})


def new_id(now: datetime | None = None) -> str:
    """Time-ordered, never colliding across processes: UTC time to the microsecond + 48 random bits."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(6)


def check_id(comment_id: str) -> str:
    if not isinstance(comment_id, str) or not ID_RE.match(comment_id):
        raise InvalidId(f"invalid comment id: {comment_id!r}")
    return comment_id


def check_thread(thread: str) -> str:
    if not isinstance(thread, str) or not THREAD_RE.match(thread):
        raise ValueError(f"invalid thread id: {thread!r}")
    return thread


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class CommentStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    # -- helpers -------------------------------------------------------
    def _ensure_dir(self, path: Path) -> None:
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
            _fsync_dir(p.parent)

    def _write_tmp(self, data: bytes, name: str) -> Path:
        """``data`` written whole and fsynced in a new file under ``tmp/``; OSError
        on failure (nothing is left behind)."""
        tmp_path = self.tmp / f"{name}.{secrets.token_hex(4)}.tmp"
        self._ensure_dir(self.tmp)
        fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:
            _unlink_quietly(tmp_path)
            raise
        return tmp_path

    def _write_new(self, final: Path, data: bytes, name: str) -> None:
        """Write ``data`` to ``final`` (which must not exist) the maildir way."""
        tmp_path = None
        renamed = False
        try:
            self._ensure_dir(final.parent)
            tmp_path = self._write_tmp(data, name)
            os.rename(tmp_path, final)
            renamed = True
            _fsync_dir(final.parent)
        except OSError as exc:
            for leftover in (tmp_path, final if renamed else None):
                if leftover is not None:
                    _unlink_quietly(leftover)
            raise StoreError(f"cannot write {final}: {exc}", exc.errno) from exc

    def _path(self, state: str, thread: str, comment_id: str) -> Path:
        assert state in STATES
        return self.root / state / check_thread(thread) / f"{check_id(comment_id)}.json"

    @staticmethod
    def _read(path: Path, comment_id: str) -> Comment:
        """The comment in ``path``; NotFound if it was moved or deleted since it was located."""
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(comment_id) from exc
        return Comment.from_json(data)

    def _rewrite(self, path: Path, data: bytes, name: str) -> None:
        """Replace the existing file ``path`` by ``data`` atomically; OSError on failure."""
        tmp_path = self._write_tmp(data, name)
        try:
            os.rename(tmp_path, path)
        except BaseException:
            _unlink_quietly(tmp_path)
            raise
        _fsync_dir(path.parent)

    @contextmanager
    def _moderation_lock(self, comment_id: str) -> Iterator[None]:
        """Exclusive lock shared by every moderating process (flock on <store>/.moderation.lock)."""
        try:
            fd = os.open(self.root / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except FileNotFoundError as exc:  # no store folder: no comment either
            raise NotFound(comment_id) from exc
        except OSError as exc:
            raise StoreError(f"cannot lock {self.root / LOCK_NAME}: {exc}", exc.errno) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    # -- API -----------------------------------------------------------
    def add(self, thread: str, name: str, email: str, text: str, status: str = "pending",
            now: datetime | None = None) -> Comment:
        """Store a new comment durably; raise StoreError if the disk refuses."""
        if status not in ("pending", "approved"):
            raise ValueError(status)
        now = now or datetime.now(timezone.utc)
        comment = Comment(
            id=new_id(now),
            thread=check_thread(thread),
            name=name,
            email=email,
            text=text,
            created_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            status=status,
        )
        self._write_new(self._path(status, thread, comment.id), comment.to_json(), comment.id)
        return comment

    def locate(self, comment_id: str) -> tuple[str, str, Path]:
        """(state, thread, path) of a comment; InvalidId or NotFound."""
        check_id(comment_id)
        for state in STATES:
            base = self.root / state
            try:
                threads = sorted(os.listdir(base))
            except FileNotFoundError:
                continue
            for thread in threads:
                if not THREAD_RE.match(thread):
                    continue
                path = base / thread / f"{comment_id}.json"
                if path.is_file():
                    return state, thread, path
        raise NotFound(comment_id)

    def get(self, comment_id: str) -> Comment:
        state, _thread, path = self.locate(comment_id)
        comment = self._read(path, comment_id)
        comment.status = state  # the folder is the truth
        return comment

    def list(self, state: str | None = "pending", thread: str | None = None) -> list[Comment]:
        """Comments in one state (or all when state is None), oldest first."""
        states = STATES if state is None else (state,)
        found: list[Comment] = []
        for st in states:
            base = self.root / st
            try:
                threads = [thread] if thread else sorted(os.listdir(base))
            except FileNotFoundError:
                continue
            for th in threads:
                if not THREAD_RE.match(th):
                    continue
                try:
                    names = os.listdir(base / th)
                except FileNotFoundError:
                    continue
                for name in names:
                    if not name.endswith(".json") or not ID_RE.match(name[:-5]):
                        continue
                    try:
                        comment = Comment.from_json((base / th / name).read_bytes())
                    except FileNotFoundError:  # moved meanwhile
                        continue
                    comment.status = st
                    found.append(comment)
        found.sort(key=lambda c: (c.id, c.thread))
        return found

    def move(self, comment_id: str, new_state: str) -> Comment:
        """Moderation: move a comment to another state. InvalidId, NotFound or StoreError."""
        if new_state not in STATES:
            raise ValueError(new_state)
        check_id(comment_id)
        with self._moderation_lock(comment_id):
            state, thread, path = self.locate(comment_id)
            comment = self._read(path, comment_id)
            if state == new_state:
                comment.status = state
                return comment
            comment.status = new_state
            target = self._path(new_state, thread, comment_id)
            try:
                # 1. Claim it: rename into the new state folder. If someone else moved or
                #    deleted it since locate(), the rename fails: it is not re-created.
                self._ensure_dir(target.parent)
                os.rename(path, target)
            except FileNotFoundError as exc:
                raise NotFound(comment_id) from exc
            except OSError as exc:
                raise StoreError(f"cannot move {comment_id}: {exc}", exc.errno) from exc
            try:
                _fsync_dir(target.parent)
                _fsync_dir(path.parent)
                # 2. Rewrite the status field where the file now is (atomic replace).
                self._rewrite(target, comment.to_json(), comment_id)
            except OSError as exc:
                try:  # put it back: the folder and the status field stay in agreement
                    os.rename(target, path)
                    _fsync_dir(path.parent)
                except OSError:
                    pass
                raise StoreError(f"cannot move {comment_id}: {exc}", exc.errno) from exc
        return comment

    def delete(self, comment_id: str) -> Comment:
        """Remove a comment for good. InvalidId, NotFound or StoreError."""
        check_id(comment_id)
        with self._moderation_lock(comment_id):
            state, _thread, path = self.locate(comment_id)
            comment = self._read(path, comment_id)
            comment.status = state
            try:
                os.unlink(path)
                _fsync_dir(path.parent)
            except FileNotFoundError as exc:
                raise NotFound(comment_id) from exc
            except OSError as exc:
                raise StoreError(f"cannot delete {comment_id}: {exc}", exc.errno) from exc
        return comment

    def healthy(self) -> bool:
        """Cheap check: the store root and tmp/ exist (or can be created) as folders."""
        try:
            self._ensure_dir(self.tmp)
        except OSError:
            return False
        return os.access(self.tmp, os.W_OK)
