"""Fixtures for the events tests: real Pelican builds with a fixed "today"."""

from __future__ import annotations

from pathlib import Path

import pytest

from events_testlib import ROOT, TODAY, front_matter


@pytest.fixture
def build_events(build_site):
    """build_events(content=None, today=TODAY, **settings) -> Site."""

    def _build(content: Path | None = None, today: str | None = TODAY, **overrides):
        return build_site(content=content, EVENTS_TODAY=today, CACHE_CONTENT=False,
                          LOAD_CONTENT_CACHE=False, **overrides)

    return _build


@pytest.fixture
def site(build_events):
    """The real content/, built with today = 2026-11-26."""
    return build_events()


@pytest.fixture
def event_sources():
    """{path: front matter} of the real sample events."""
    return {p: front_matter(p) for p in sorted((ROOT / "content" / "events").glob("*.md"))}


@pytest.fixture
def write_event(content_copy):
    """Write an event file into a copy of content/ and return its path."""

    def _write(name: str, text: str) -> Path:
        path = content_copy / "events" / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
