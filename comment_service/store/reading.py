"""Reading the store: the one policy for damaged files.

Everything that reads comments (the moderation command line, the site
build's comments plugin, the development launcher) goes through
``StoreReader``. A damaged file (see ``layout``), a file or folder whose
name is not the store's, or one that cannot be read is *reported* (a warning
on the ``comment_service.store`` logger naming its path, and the optional
``on_damaged(path, reason)`` callback) and *skipped*; reading never raises
because of what a file holds. Names starting with a dot are ignored silently
(editor and system leftovers). A file that vanishes while it is being read
was moved by a moderator meanwhile: it is skipped without a report.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Callable, Iterator

from .layout import (STATES, TMP, Comment, DamagedComment, NotFound, check_id, check_thread,
                     file_name, id_from_file_name, is_thread_id)
from .replies import REPLIES, Reply

log = logging.getLogger("comment_service.store")

OnDamaged = Callable[[Path, str], None]


def _oldest_first(comment: Comment) -> tuple[str, str, str]:
    return comment.created_at, comment.id, comment.thread


class StoreReader:
    def __init__(self, root: Path | str, on_damaged: OnDamaged | None = None):
        self.root = Path(root)
        self.tmp = self.root / TMP
        self.on_damaged = on_damaged

    # -- reporting -------------------------------------------------------
    def _report(self, path: Path, reason: str) -> None:
        log.warning("damaged comment file %s: %s (skipped)", path, reason)
        if self.on_damaged is not None:
            self.on_damaged(path, reason)

    # -- folders ----------------------------------------------------------
    def folder(self, state: str) -> Path:
        """The folder of one state (e.g. for a watcher of ``approved``)."""
        if state not in STATES:
            raise ValueError(f"invalid state: {state!r}")
        return self.root / state

    def _entries(self, folder: Path) -> list[str]:
        """Names in a folder, sorted, dot names left out; [] when it does not exist."""
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            return []
        except OSError as exc:
            self._report(folder, f"cannot list: {exc.strerror}")
            return []
        return sorted(n for n in names if not n.startswith("."))

    def _threads(self, state: str, report: bool = True) -> list[str]:
        """The thread folders of one state; other names are reported."""
        base = self.folder(state)
        threads = []
        for name in self._entries(base):
            if is_thread_id(name) and (base / name).is_dir():
                threads.append(name)
            elif report:
                self._report(base / name, "not a thread folder")
        return threads

    def _files(self, state: str, thread: str) -> Iterator[tuple[str, Path]]:
        """(comment id, path) of the comment files of one thread; other names are reported."""
        folder = self.folder(state) / thread
        for name in self._entries(folder):
            comment_id = id_from_file_name(name)
            if comment_id is None:
                self._report(folder / name, "not a comment file name (<id>.json)")
            else:
                yield comment_id, folder / name

    # -- one file -----------------------------------------------------------
    @staticmethod
    def _load(path: Path, state: str, thread: str, comment_id: str) -> Comment:
        """The comment in ``path``, its status set from its folder (the folder is
        the truth). NotFound if it vanished, DamagedComment if it cannot be read."""
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(comment_id) from exc
        except OSError as exc:
            raise DamagedComment(path, f"cannot read: {exc.strerror}") from exc
        try:
            comment = Comment.from_json(data)
        except ValueError as exc:
            raise DamagedComment(path, str(exc)) from exc
        if comment.id != comment_id:
            raise DamagedComment(path, f"its id {comment.id!r} is not its file name")
        if comment.thread != thread:
            raise DamagedComment(path, f"its thread {comment.thread!r} is not its folder")
        comment.status = state
        return comment

    # -- API ------------------------------------------------------------------
    def iter_comments(self, state: str | None = None, thread: str | None = None) -> Iterator[Comment]:
        """Every readable comment of one state (all when None) and thread (all when
        None): state by state, thread by thread, each thread oldest first."""
        if thread is not None:
            check_thread(thread)
        if state is not None:
            self.folder(state)  # ValueError for an unknown state
        for st in STATES if state is None else (state,):
            for th in [thread] if thread is not None else self._threads(st):
                found = []
                for comment_id, path in self._files(st, th):
                    try:
                        found.append(self._load(path, st, th, comment_id))
                    except NotFound:
                        continue  # moved or deleted meanwhile
                    except DamagedComment as exc:
                        self._report(exc.path, exc.reason)
                yield from sorted(found, key=_oldest_first)

    def list(self, state: str | None = "pending", thread: str | None = None) -> list[Comment]:
        """Comments in one state (or all when state is None), oldest first."""
        return sorted(self.iter_comments(state, thread), key=_oldest_first)

    def approved(self, thread: str) -> list[Comment]:
        """The approved comments of a thread, oldest first ([] for a thread id of
        another shape: no path is ever built from it)."""
        if not is_thread_id(thread):
            return []
        return self.list("approved", thread)

    def threads_with(self, state: str = "approved") -> set[str]:
        """The threads that have at least one comment file in ``state`` (one listing
        per thread, no file is read)."""
        base = self.folder(state)
        return {th for th in self._threads(state)
                if any(id_from_file_name(n) for n in self._entries(base / th))}

    def locate(self, comment_id: str) -> tuple[str, str, Path]:
        """(state, thread, path) of a comment; InvalidId or NotFound."""
        name = file_name(comment_id)
        for state in STATES:
            for thread in self._threads(state, report=False):
                path = self.root / state / thread / name
                if path.is_file():
                    return state, thread, path
        raise NotFound(comment_id)

    def get(self, comment_id: str) -> Comment:
        """One comment; InvalidId, NotFound or DamagedComment."""
        check_id(comment_id)
        state, thread, path = self.locate(comment_id)
        return self._load(path, state, thread, comment_id)

    # -- the Département's replies ------------------------------------------------
    def _load_reply(self, path: Path, thread: str, comment_id: str) -> Reply | None:
        """The reply in ``path``; None when absent; a damaged one is reported and None."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._report(path, f"cannot read: {exc.strerror}")
            return None
        try:
            reply = Reply.from_json(data)
        except ValueError as exc:
            self._report(path, str(exc))
            return None
        if reply.comment_id != comment_id or reply.thread != thread:
            self._report(path, "its comment_id or thread is not its place")
            return None
        return reply

    def replies(self, thread: str) -> dict[str, Reply]:
        """The replies of one thread, by the id of the comment each answers ({} for
        a thread id of another shape)."""
        if not is_thread_id(thread):
            return {}
        folder = self.root / REPLIES / thread
        found = {}
        for name in self._entries(folder):
            comment_id = id_from_file_name(name)
            if comment_id is None:
                self._report(folder / name, "not a reply file name (<comment id>.json)")
                continue
            reply = self._load_reply(folder / name, thread, comment_id)
            if reply is not None:
                found[comment_id] = reply
        return found

    def reply_for(self, comment_id: str) -> Reply | None:
        """The reply to one comment, or None (InvalidId for an id of another shape)."""
        name = file_name(comment_id)
        base = self.root / REPLIES
        for thread in self._entries(base):
            if is_thread_id(thread) and (base / thread / name).is_file():
                return self._load_reply(base / thread / name, thread, comment_id)
        return None
