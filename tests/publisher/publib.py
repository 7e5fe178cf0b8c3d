"""Helpers for the publisher tests: a private copy of the content, store and
SITE_ROOT, production settings pointing at them, and a byte-for-byte
comparison of two built trees."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from comment_service.store import CommentStore
from support import ROOT

FIXED = {"EVENTS_TODAY": "2026-11-26", "SCHEDULE_NOW": "2026-11-26 12:00"}


@dataclass
class Sandbox:
    tmp: Path
    content: Path
    store: CommentStore
    settings: Path
    root: Path

    def options(self):
        from release import load_options

        return load_options(str(self.settings), str(self.content), str(self.root))

    @property
    def current(self) -> Path:
        return self.root / "current"

    def threads(self) -> dict:
        return json.loads((self.current / "comment-threads.json").read_text())["threads"]

    def thread_of_kind(self, kind: str, index: int = 0) -> str:
        return sorted(t for t, v in self.threads().items() if v["kind"] == kind)[index]

    def full_build(self, name: str) -> Path:
        """A cold full build of the same state, as a new release would be."""
        from publisher.build import build

        output = self.tmp / name
        build(self.settings, output, self.tmp / f"cache-{name}", load_cache=False,
              content=self.content)
        return output


def sandbox(tmp: Path, base: str = "publishconf") -> Sandbox:
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    settings = tmp / "testconf.py"
    # Relative paths in a settings file are read from its folder: point at the repository's.
    lines = [f"from {base} import *  # noqa: F401,F403",
             f"COMMENTS_STORE = {str(tmp / 'store')!r}",
             f"THEME = {str(ROOT / 'theme')!r}",
             f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]"]
    lines += [f"{key} = {value!r}" for key, value in FIXED.items()]
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp / "store").mkdir()  # as in production: a publication refuses a missing store
    return Sandbox(tmp, content, CommentStore(tmp / "store"), settings, tmp / "site")


# pelican-sitemap dates listing pages with the build's clock (a naive time it
# writes with "-00:00"); content dates carry their Paris offset.
BUILD_CLOCK = re.compile(rb"<lastmod>[0-9T:-]+-00:00</lastmod>")


def without_build_timestamps(data: bytes) -> bytes:
    return BUILD_CLOCK.sub(b"<lastmod>BUILD</lastmod>", data)


def differences(left: Path, right: Path) -> list[str]:
    """Paths missing on one side or whose bytes differ, once build timestamps
    are removed (empty: identical trees)."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(left), files(right)
    problems = [f"only in {left.name}: {n}" for n in sorted(a.keys() - b.keys())]
    problems += [f"only in {right.name}: {n}" for n in sorted(b.keys() - a.keys())]
    problems += [f"differs: {n}" for n in sorted(a.keys() & b.keys())
                 if without_build_timestamps(a[n].read_bytes())
                 != without_build_timestamps(b[n].read_bytes())]
    return problems
