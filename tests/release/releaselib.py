"""Helpers for the release tests: run the real `python -m release` (or make)
on a private SITE_ROOT and a copy of the content, and fingerprint what
readers are served."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import ROOT, fingerprint  # noqa: F401 (fingerprint: for the tests)

FIXED = {"EVENTS_TODAY": "2026-11-26", "SCHEDULE_NOW": "2026-11-26 12:00"}


def environment(tmp: Path, **extra: str) -> dict:
    """A production-like environment: the comment store exists (a publication refuses a missing one)."""
    (tmp / "store").mkdir(exist_ok=True)
    env = dict(os.environ, COMMENTS_STORE=str(tmp / "store"), SITE_ROOT=str(tmp / "site"),
               **FIXED)
    env.update(extra)
    return env


def release(tmp: Path, *args: str, content: Path | None = None, **extra: str):
    """`python -m release ARGS` (publish gets --content when given)."""
    command = [sys.executable, "-m", "release", *args]
    if content is not None:
        command += ["--content", str(content)]
    return subprocess.run(command, cwd=ROOT, env=environment(tmp, **extra),
                          capture_output=True, text=True, timeout=300)


def published_files(current: Path) -> list[str]:
    return sorted(p.relative_to(current).as_posix() for p in current.rglob("*") if p.is_file())


def text_of_release(current: Path) -> str:
    """Every text file of the release, concatenated (to search for a slug)."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in current.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".ics", ".txt"))
