"""Fixtures for the events tests: real Pelican builds with a fixed "today"."""

from __future__ import annotations

from pathlib import Path

import pytest

from events_testlib import ROOT, TODAY, front_matter

# `from support import ROOT, SHARED` in modules collected after this file
# finds this module: keep the shared names available.
SHARED = ROOT.parent / "shared"


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


@pytest.fixture(autouse=True)
def _reset_sitemap_after_failed_builds():
    """pelican-sitemap keeps module-level state that it only resets when a
    build finishes: a build stopped by ContentError leaves it attached to the
    dead Pelican object, and later builds in this process write no sitemap.
    Reset it after each test so that other tests are not affected."""
    yield
    from pelican.plugins.sitemap import sitemap

    sitemap.generator._main_pelican = None
    sitemap.generator.page_queue = []
