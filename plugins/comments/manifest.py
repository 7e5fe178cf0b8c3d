"""The threads manifest: which pages accept comments, for the comment service.

Format (read by ``comment_service.web.threads``)::

    {"version": 1, "threads": {"<slug>": {"url": "/2014/06/12/slug/", "title": "...",
                                          "open": true, "kind": "article"}}}

``ThreadsManifest`` is a Pelican generator: Pelican makes a new one for every
build (``get_generators``), so the manifest of one build lives on that build's
generator and can never leak into another build run in the same process.
The comments plugin fills it once every page is known
(``all_generators_finalized``); it writes the file in ``generate_output``,
after the articles and pages are written (a build that fails before leaves the
previous manifest in place).
"""

from __future__ import annotations

import json
import os

from comment_service import defaults
from sitekit.files import write_atomically

VERSION = 1


class ThreadsManifest:
    """One build's threads; written into the output as ``COMMENTS_MANIFEST``."""

    def __init__(self, context, settings, path, theme, output_path, **_kwargs):
        # The attributes every Pelican generator has (other plugins look at them).
        self.context, self.settings, self.path = context, settings, path
        self.theme, self.output_path = theme, output_path
        self.threads: dict[str, dict] | None = None  # None until the plugin has filled it

    def start(self) -> None:
        """Called once all pages are known: from now on the file is written (even empty)."""
        self.threads = {}

    def add(self, thread: str, url: str, title: str, is_open: bool, kind: str) -> None:
        assert self.threads is not None, "start() first"
        self.threads[thread] = {"url": url, "title": title, "open": is_open, "kind": kind}

    def as_json(self) -> dict:
        return {"version": VERSION, "threads": dict(sorted((self.threads or {}).items()))}

    def generate_output(self, _writer) -> None:
        if self.threads is None:
            return
        name = self.settings.get("COMMENTS_MANIFEST", defaults.THREADS_MANIFEST)
        data = json.dumps(self.as_json(), ensure_ascii=False, indent=1).encode("utf-8")
        # The running service may read it at any moment: one rename.
        write_atomically(os.path.join(self.output_path, name), data)
