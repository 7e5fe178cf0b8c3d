"""Shared fixtures: build the real site with Pelican into temporary folders.

`build_site(content=..., **overrides)` runs a real Pelican build with
pelicanconf.py (or publishconf.py) and returns a `Site` to read the output.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import ROOT, forget_pelican_log_dedup


@dataclass
class Site:
    output: Path
    settings: dict

    def path(self, url: str) -> Path:
        """The file served for a root-relative URL such as '/archives/'."""
        rel = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
        target = self.output / rel
        if rel == "" or rel.endswith("/"):
            target = target / "index.html"
        return target

    def html(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str):
        from bs4 import BeautifulSoup

        return BeautifulSoup(self.html(url), "html.parser")


def reset_sitemap_plugin() -> None:
    """The one place that undoes pelican-sitemap's module-level state.

    pelican-sitemap keeps the first Pelican instance it sees in a module global
    and forgets it only when that build finishes: after a build that failed
    (tests of editorial errors), it would skip every later sitemap. Our own
    plugins keep per-build state in the build's settings instead."""
    from pelican.plugins.sitemap import sitemap

    sitemap.generator._main_pelican = None
    sitemap.generator.page_queue = []


@pytest.fixture(autouse=True)
def _forget_pelican_log_dedup():
    """Pelican, once imported, makes every logger created afterwards drop a
    warning it has already seen (pelican.log.LimitFilter, class-level sets):
    a test that expects a warning another test already logged would see
    nothing. Each test starts with that memory empty."""
    forget_pelican_log_dedup()
    yield


def run_pelican(content: Path, output: Path, settings_file: str = "pelicanconf.py",
                **overrides) -> Site:
    """A real Pelican build, in-process, from the project's settings file."""
    from pelican import Pelican
    from pelican.settings import read_settings

    reset_sitemap_plugin()
    cwd = os.getcwd()
    os.chdir(ROOT)  # settings use paths relative to the project
    # publishconf.py imports pelicanconf by name: read it afresh (the environment may differ).
    sys.modules.pop("pelicanconf", None)
    try:
        settings = read_settings(
            str(ROOT / settings_file),
            override={
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "CACHE_PATH": str(output.parent / (output.name + "-cache")),
                **overrides,
            },
        )
        Pelican(settings).run()
    finally:
        os.chdir(cwd)
    return Site(output=output, settings=settings)


@pytest.fixture
def build_site(tmp_path):
    """Build the site (the real content/ unless told otherwise) into tmp_path."""
    counter = {"n": 0}

    def _build(content: Path | None = None, settings_file: str = "pelicanconf.py",
               **overrides) -> Site:
        counter["n"] += 1
        out = tmp_path / f"output{counter['n']}"
        return run_pelican(content or ROOT / "content", out, settings_file, **overrides)

    return _build


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory):
    """The real content built once with the development settings."""
    out = tmp_path_factory.mktemp("dev") / "output"
    return run_pelican(ROOT / "content", out, "pelicanconf.py", CACHE_CONTENT=False,
                       LOAD_CONTENT_CACHE=False)


@pytest.fixture(scope="session")
def prod_site(tmp_path_factory):
    """The real content built once with the production settings."""
    out = tmp_path_factory.mktemp("prod") / "output"
    return run_pelican(ROOT / "content", out, "publishconf.py", CACHE_CONTENT=False,
                       LOAD_CONTENT_CACHE=False)


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of content/ to break or extend in a test."""
    dest = tmp_path / "content"
    shutil.copytree(ROOT / "content", dest)
    return dest


# One Chromium for the whole session, shared by every folder that drives a
# browser (tests/browser, tests/deploy, tests/moderation): Playwright's sync API
# cannot run twice at once in one process.
@pytest.fixture(scope="session")
def browser():
    from browserlib import ARGS, CHROMIUM
    from support import missing

    if not Path(CHROMIUM).exists():
        missing("Debian's chromium is missing: `make test` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()
