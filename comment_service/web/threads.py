"""The threads manifest written by the site build: which pages accept comments.

Format::

    {"version": 1, "threads": {"<id>": {"url": "/2014/06/12/slug/", "title": "...", "open": true,
                                        "kind": "article"}}}

``kind`` is ``"article"`` or ``"event"`` (``"article"`` when absent, as in
manifests written before it existed). Thread ids have the store's shape
(``comment_service.store.is_thread_id``).

The file is read again whenever its modification time (or size, or inode)
changes. A missing file means no thread exists (every post gets a 404) and is
logged once; a file that cannot be parsed is logged and the last good version
is kept until a readable one appears.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from ..store import is_thread_id

log = logging.getLogger("comment_service.web.threads")

KINDS = ("article", "event")


@dataclass(frozen=True)
class Thread:
    id: str
    url: str
    title: str
    open: bool
    kind: str = "article"  # one of KINDS


def parse_manifest(data: bytes) -> dict[str, Thread]:
    """Parse the manifest; raise ValueError when its shape is wrong. Bad entries are skipped."""
    obj = json.loads(data.decode("utf-8"))
    if not isinstance(obj, dict) or obj.get("version") != 1 or not isinstance(obj.get("threads"), dict):
        raise ValueError('expected {"version": 1, "threads": {...}}')
    threads: dict[str, Thread] = {}
    for tid, entry in obj["threads"].items():
        if not is_thread_id(tid) or not isinstance(entry, dict):
            log.warning("threads manifest: skipping invalid thread id %r", tid)
            continue
        url, title, is_open = entry.get("url"), entry.get("title", ""), entry.get("open", True)
        # A path on the site only: never another host (no open redirect).
        if not isinstance(url, str) or not url.startswith("/") or url.startswith("//") or "\\" in url \
                or any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
            log.warning("threads manifest: skipping thread %s with invalid url %r", tid, url)
            continue
        kind = entry.get("kind", "article")
        if not isinstance(title, str) or not isinstance(is_open, bool) or kind not in KINDS:
            log.warning("threads manifest: skipping thread %s with invalid title/open/kind", tid)
            continue
        threads[tid] = Thread(tid, url, title, is_open, kind)
    return threads


class ThreadIndex:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._threads: dict[str, Thread] = {}
        self._missing_logged = False

    def _refresh(self) -> None:
        try:
            st = os.stat(self.path)
        except OSError as exc:
            if not self._missing_logged:
                log.error("threads manifest %s is unreadable (%s): every thread is unknown until it exists",
                          self.path, exc.strerror)
                self._missing_logged = True
            self._stamp, self._threads = None, {}
            return
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp == self._stamp:
            return
        try:
            with open(self.path, "rb") as fh:
                threads = parse_manifest(fh.read())
        except (OSError, ValueError) as exc:
            log.error("threads manifest %s cannot be parsed (%s); keeping the previous version", self.path, exc)
            return
        self._stamp, self._threads = stamp, threads
        self._missing_logged = False
        log.info("threads manifest %s loaded: %d threads", self.path, len(threads))

    def get(self, thread_id: str) -> Thread | None:
        with self._lock:
            self._refresh()
            return self._threads.get(thread_id)
