"""CommentStore: new comments, moderation and housekeeping on top of the reader.

Moderation moves a file between state folders with rename(). The folder is
the truth. Moderation changes (move, delete) hold an exclusive ``flock`` on
``<store>/.moderation.lock``, so two moderators never act on one comment at
once. A move first renames the file into the new state folder (a rename that
fails because the file is gone means someone else moved or deleted it:
NotFound), then rewrites the ``status`` field there atomically (temporary
file, fsync, rename, folder fsync); if that rewrite fails the file is moved
back. A damaged comment (DamagedComment) is never moved or deleted by these
commands: it is reported with its path, for a person to look at.

Files left in ``tmp/`` by a process killed while writing are removed by
``sweep_tmp()``: from ``add()`` at most every ``SWEEP_INTERVAL`` seconds in
each process, and from ``python -m comment_service sweep``.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from . import files
from .files import TMP_MAX_AGE, ensure_dir, fsync_dir, open_lock
from .layout import (LOCK_NAME, NEW_STATES, STATES, Comment, Conflict, NotFound, StoreError, check_id,
                     check_thread, file_name, format_created, new_id)
from .reading import OnDamaged, StoreReader
from .replies import REPLIES, Reply

SWEEP_INTERVAL = 600.0  # seconds between two sweeps of tmp/ by add() in one process


class CommentStore(StoreReader):
    def __init__(self, root: Path | str, on_damaged: OnDamaged | None = None):
        super().__init__(root, on_damaged)
        self._next_sweep = 0.0  # time.monotonic() after which add() sweeps tmp/

    def _path(self, state: str, thread: str, comment_id: str) -> Path:
        assert state in STATES
        return self.root / state / check_thread(thread) / file_name(comment_id)

    def _read(self, path: Path, comment_id: str) -> Comment:
        """The comment at ``path`` (state/thread/id.json); NotFound or DamagedComment."""
        return self._load(path, path.parent.parent.name, path.parent.name, comment_id)

    @contextmanager
    def _moderation_lock(self, comment_id: str) -> Iterator[None]:
        """Exclusive lock shared by every moderating process (flock on <store>/.moderation.lock)."""
        try:
            fd = open_lock(self.root / LOCK_NAME)
        except FileNotFoundError as exc:  # no store folder: no comment either
            raise NotFound(comment_id) from exc
        except OSError as exc:
            raise StoreError(f"cannot lock {self.root / LOCK_NAME}: {exc}", exc.errno) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    @contextmanager
    def claim(self, comment_id: str, expect: str | None = None) -> Iterator[tuple[str, str, Path, Comment]]:
        """Under the moderation lock: (state, thread, path, comment) of one comment,
        which must still be in state ``expect`` when given (else Conflict: someone
        else acted on it first). InvalidId, NotFound or DamagedComment."""
        check_id(comment_id)
        with self._moderation_lock(comment_id):
            state, thread, path = self.locate(comment_id)
            comment = self._read(path, comment_id)
            if expect is not None and state != expect:
                raise Conflict(comment)
            yield state, thread, path, comment

    # -- new comments ---------------------------------------------------------
    def add(self, thread: str, name: str, email: str, text: str, status: str = "pending",
            now: datetime | None = None, signals: tuple[str, ...] | list[str] = ()) -> Comment:
        """Store a new comment durably; raise StoreError if the disk refuses.
        ``signals``: spam signals noted at post time (kept with the comment)."""
        if status not in NEW_STATES:
            raise ValueError(status)
        now = now or datetime.now(timezone.utc)
        comment = Comment(id=new_id(now), thread=check_thread(thread), name=name, email=email,
                          text=text, created_at=format_created(now), status=status, signals=list(signals))
        final = self._path(status, thread, comment.id)
        try:
            files.write_new(self.tmp, final, comment.to_json(), comment.id)
        except OSError as exc:
            raise StoreError(f"cannot write {final}: {exc}", exc.errno) from exc
        if time.monotonic() >= self._next_sweep:
            self._next_sweep = time.monotonic() + SWEEP_INTERVAL
            self.sweep_tmp()
        return comment

    # -- moderation -----------------------------------------------------------
    def move(self, comment_id: str, new_state: str, *, reason: str | None = None,
             expect: str | None = None, now: datetime | None = None) -> Comment:
        """Moderation: move a comment to another state, setting ``moderated_at``
        (and ``reason``, kept for a rejection, cleared otherwise). With ``expect``,
        the comment must still be in that state (else Conflict: someone else acted
        on it first). InvalidId, NotFound, DamagedComment, Conflict or StoreError."""
        if new_state not in STATES:
            raise ValueError(new_state)
        with self.claim(comment_id, expect) as (state, thread, path, comment):
            if state == new_state and (comment.reason == reason or new_state != "rejected"):
                return comment
            comment.status = new_state
            comment.moderated_at = format_created(now or datetime.now(timezone.utc))
            comment.reason = reason if new_state == "rejected" else None
            target = self._path(new_state, thread, comment_id)
            try:
                # 1. Claim it: rename into the new state folder. If someone else moved or
                #    deleted it since locate(), the rename fails: it is not re-created.
                ensure_dir(target.parent)
                os.rename(path, target)
            except FileNotFoundError as exc:
                raise NotFound(comment_id) from exc
            except OSError as exc:
                raise StoreError(f"cannot move {comment_id}: {exc}", exc.errno) from exc
            try:
                fsync_dir(target.parent)
                fsync_dir(path.parent)
                # 2. Rewrite the status field where the file now is (atomic replace).
                files.rewrite(self.tmp, target, comment.to_json(), comment_id)
            except OSError as exc:
                try:  # put it back: the folder and the status field stay in agreement
                    os.rename(target, path)
                    fsync_dir(path.parent)
                except OSError:
                    pass
                raise StoreError(f"cannot move {comment_id}: {exc}", exc.errno) from exc
        return comment

    def delete(self, comment_id: str, *, expect: str | None = None) -> Comment:
        """Remove a comment for good (and its reply, if any). InvalidId, NotFound,
        DamagedComment, Conflict (``expect`` given and not met) or StoreError."""
        with self.claim(comment_id, expect) as (_state, _thread, path, comment):
            try:
                os.unlink(path)
                fsync_dir(path.parent)
            except FileNotFoundError as exc:
                raise NotFound(comment_id) from exc
            except OSError as exc:
                raise StoreError(f"cannot delete {comment_id}: {exc}", exc.errno) from exc
            self._unlink_reply(comment_id)
        return comment

    # -- the Département's replies ----------------------------------------------
    def set_reply(self, comment_id: str, service: str, text: str, author: str,
                  now: datetime | None = None) -> Reply:
        """Write or replace the reply to a comment (atomically). InvalidId, NotFound,
        DamagedComment, ValueError (empty text or service) or StoreError."""
        check_id(comment_id)
        stamp = format_created(now or datetime.now(timezone.utc))
        with self._moderation_lock(comment_id):
            _state, thread, path = self.locate(comment_id)
            self._read(path, comment_id)  # refuse a damaged comment
            old = self.reply_for(comment_id)
            reply = Reply(comment_id=comment_id, thread=thread, service=service, text=text,
                          created_at=old.created_at if old else stamp, updated_at=stamp, author=author)
            reply.check()
            final = self.root / REPLIES / thread / file_name(comment_id)
            try:
                if old is None:
                    files.write_new(self.tmp, final, reply.to_json(), comment_id)
                else:
                    files.rewrite(self.tmp, final, reply.to_json(), comment_id)
            except OSError as exc:
                raise StoreError(f"cannot write the reply to {comment_id}: {exc}", exc.errno) from exc
        return reply

    def remove_reply(self, comment_id: str) -> Reply | None:
        """Remove the reply to a comment; return it (None if there was none)."""
        check_id(comment_id)
        with self._moderation_lock(comment_id):
            return self._unlink_reply(comment_id)

    def _unlink_reply(self, comment_id: str) -> Reply | None:
        """Remove a reply (the caller holds the moderation lock)."""
        reply = self.reply_for(comment_id)
        if reply is None:
            return None
        path = self.root / REPLIES / reply.thread / file_name(comment_id)
        try:
            os.unlink(path)
            fsync_dir(path.parent)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot remove the reply to {comment_id}: {exc}", exc.errno) from exc
        return reply

    # -- housekeeping ---------------------------------------------------------
    def sweep_tmp(self, max_age: float = TMP_MAX_AGE, now: float | None = None) -> list[Path]:
        """Remove the files a killed writer left in ``tmp/`` more than ``max_age``
        seconds ago (default one hour; see ``files.TMP_MAX_AGE`` for why) and return
        their paths. A live write is never touched; errors are logged, not raised."""
        return files.sweep(self.tmp, max_age, now)

    def healthy(self) -> bool:
        """Cheap check: the store root and tmp/ exist (or can be created) as folders."""
        try:
            ensure_dir(self.tmp)
        except OSError:
            return False
        return os.access(self.tmp, os.W_OK)
