"""What changed, and the queue between the watcher and the publications.

``Sources`` names what the publisher watches: the comment store's published
folders (``CommentStore.folder("approved")`` and the replies folder: a
comment approved, rejected or deleted after approval, a reply written or
removed) and the site's sources (content always; in development the theme,
the plugins, the comment-form component and the settings too).
``Sources.classify`` turns watchfiles' paths into a ``Change``: the comment
threads touched, the content files changed (``edited``: maybe only a body),
whether the site itself must be rebuilt (``rebuild``),
or the process restarted (``restart``: Python code or settings changed,
which a build in this process would not see).

``Pending`` merges changes until a publication takes them: a burst of
approvals during a publication becomes one next publication, and a change
is only ever removed from it by the publication that will show it (taken
before that publication reads the store), so none is lost.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from comment_service.store import REPLIES, CommentStore, is_thread_id

ROOT = Path(__file__).resolve().parents[1]
DEV_SOURCES = ("theme", "comment_service/form")
DEV_CODE = ("plugins", "pelicanconf.py", "publishconf.py")


@dataclass
class Change:
    threads: set[str] = field(default_factory=set)
    edited: set[str] = field(default_factory=set)  # content files changed in place
    rebuild: bool = False
    restart: bool = False
    search: bool = False  # the search index is behind edited bodies (the publisher's own)
    checks: list = field(default_factory=list)  # a push's checks (checksocket.Request)

    def __bool__(self) -> bool:
        return bool(self.threads or self.edited or self.rebuild or self.restart or self.search
                    or self.checks)

    def merge(self, other: "Change") -> None:
        self.threads |= other.threads
        self.edited |= other.edited
        self.rebuild |= other.rebuild
        self.restart |= other.restart
        self.search |= other.search
        self.checks += other.checks


class Sources:
    """Every path absolute (the file watcher reports absolute paths: a relative
    folder here would match none of its events)."""

    def __init__(self, store_root: Path, content: Path, dev: bool):
        store_root = _absolute(store_root)
        store = CommentStore(store_root)
        self.comments = [store.folder("approved"), store_root / REPLIES]
        self.content = [_absolute(content)]
        self.sources = [ROOT / p for p in DEV_SOURCES] if dev else []
        self.code = [ROOT / p for p in DEV_CODE] if dev else []

    def paths(self) -> list[Path]:
        """Existing folders and files to watch (the store's are created)."""
        for folder in self.comments:
            folder.mkdir(parents=True, exist_ok=True)  # watchfiles watches existing paths only
        return [p for p in [*self.comments, *self.content, *self.sources, *self.code] if p.exists()]

    def describe(self) -> str:
        """What is watched, in French, for the publisher's first lines."""
        groups = (("commentaires publiés et réponses", self.comments), ("contenu", self.content),
                  ("thème et formulaire", self.sources), ("code et réglages", self.code))
        return " ; ".join(f"{label} : {', '.join(str(p) for p in paths)}" for label, paths in groups if paths)

    def classify(self, paths) -> Change:
        change = Change()
        for raw in paths:
            path = _absolute(raw)
            if "__pycache__" in path.parts or path.name.endswith((".tmp", "~", ".swp")):
                continue
            thread = self._thread(path)
            if thread is not None:
                change.threads.add(thread)
            elif any(_under(path, p) for p in self.code):
                change.restart = True
            elif any(_under(path, p) for p in self.content) and path.suffix == ".md" \
                    and path.is_file():
                change.edited.add(str(path))  # new or not: the publisher knows its sources
            elif any(_under(path, p) for p in [*self.content, *self.sources]):
                change.rebuild = True
        return change

    def _thread(self, path: Path) -> str | None:
        for folder in self.comments:
            if _under(path, folder) and path != folder:
                name = path.relative_to(folder).parts[0]
                return name if is_thread_id(name) else None
        return None


def _absolute(path) -> Path:
    return Path(os.path.abspath(path))


def _under(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


class Pending:
    """Changes waiting for a publication (thread-safe)."""

    def __init__(self):
        self._change = Change()
        self._ready = threading.Condition()

    def add(self, change: Change) -> None:
        if not change:
            return
        with self._ready:
            self._change.merge(change)
            self._ready.notify_all()

    def wake(self) -> None:
        """Make a waiting ``take`` return (to stop)."""
        with self._ready:
            self._ready.notify_all()

    def take(self, timeout: float | None = None) -> Change:
        """Everything pending (an empty Change after ``timeout`` seconds)."""
        with self._ready:
            if not self._change:
                self._ready.wait(timeout)
            change, self._change = self._change, Change()
            return change


def watch(sources: Sources, pending: Pending, stop: threading.Event) -> None:
    """Feed ``pending`` from the file system until ``stop`` is set (a thread's target)."""
    from watchfiles import watch as file_changes

    for changes in file_changes(*sources.paths(), stop_event=stop, debounce=1000, step=50,
                                rust_timeout=500, yield_on_timeout=False):
        pending.add(sources.classify(path for _kind, path in changes))
