"""Paths and rules shared by every test module (import as `from support import ROOT`).

pytest.ini's `pythonpath` puts tests/ (and the repository, plugins/ and the
helper folders) on sys.path: no test file edits sys.path.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Material that is not part of the repository (the seed pages of the old site):
# CI lays shared/ beside the clone; a developer's clone may not have it.
SHARED = ROOT.parent / "shared"
# Data the tests need, in the repository with its licence (tests/data/README.md).
DATA = ROOT / "tests" / "data"
BLNS = DATA / "naughty-strings" / "blns.json"


def forget_pelican_log_dedup() -> None:
    """Empty pelican.log.LimitFilter's class-level memory: once Pelican is
    imported, loggers created afterwards (the service's too, in a test run)
    drop an INFO or WARNING line they have already emitted."""
    import sys

    log = sys.modules.get("pelican.log")
    if log is not None:
        log.LimitFilter._raised_messages.clear()
        log.LimitFilter._ignore.clear()
        log.LimitFilter._group_count.clear()


def fingerprint(current: Path) -> tuple[str, str]:
    """(where the served link points, a hash of every served file's path and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(current.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(current).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return os.readlink(current), digest.hexdigest()


def missing(message: str) -> None:
    """Something a check needs is absent: skip it on a developer's machine, fail
    it under CI (CI=true), where a green run must mean that every check ran."""
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the check skips (fails under CI) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        missing(f"{path} is absent: this check needs the shared/ folder beside the "
                "repository (CI lays it out)")
    return path


def front_matter(path: Path) -> dict[str, str]:
    """A Markdown file's metadata block, read independently of Pelican."""
    meta = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta


def squash(text: str) -> str:
    """Text with typographic apostrophes, non-breaking and repeated spaces folded."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


# A draft and a scheduled article, each with a tag no published article uses
# (the development preview must build them: tests/publisher, tests/browser).
PREVIEW_DRAFT = """Title: Un brouillon tout neuf
Date: 2026-11-01
Category: Institution
Tags: sujet-inédit-du-brouillon
Summary: Pas encore prêt.
Status: draft

Texte du brouillon.
"""
PREVIEW_SCHEDULED = """Title: Une annonce programmée
Date: 2026-12-15 09:00
Category: Institution
Tags: sujet-inédit-programmé
Summary: Annonce attendue.

Texte de l'annonce.
"""


def write_checks_record(content: Path, tools: dict) -> None:
    """A record of the automated accessibility checks (make a11y-report) that
    matches `content` with the project's theme and plugins, dated 1 Dec 2026."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from pelican.settings import read_settings

    from accessibility import autochecks

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    when = dt.datetime(2026, 12, 1, 18, 30, tzinfo=ZoneInfo("Europe/Paris"))
    (content / autochecks.DEFAULT_RECORD).write_text(
        autochecks.dump(autochecks.sources_fingerprint(settings), when, tools), encoding="utf-8")


# Unpublishing on time (plugins/expiry): one copy of the content where an
# article, an event and a page expire on 1 December 2026, built before and
# after (the SCHEDULE_NOW clock), for the build, publisher and nginx tests.
EXPIRING_ARTICLE = "content/articles/2014-07-08-travaux-ete-rd14.md"
EXPIRING_EVENT = "content/events/2027-01-15-voeux-du-departement.md"
EXPIRING_PAGE = "content/pages/operation-hiver.md"  # the site's own pages are linked by the theme
BEFORE_EXPIRY, AFTER_EXPIRY = "2026-11-26 12:00", "2026-12-02 09:00"


def add_field(path: Path, line: str) -> None:
    """Insert a front-matter line after the title."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_at(site: Path, now: str, name: str) -> subprocess.CompletedProcess:
    """The editors' build of ``site/content`` into ``site/name`` at the clock ``now``."""
    command = [sys.executable, "-m", "editorial", str(site / "content"), "-o", str(site / name),
               "-s", "pelicanconf.py", "-e", f"SCHEDULE_NOW={json.dumps(now)}",
               "-e", "EVENTS_TODAY=\"2026-11-26\""]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": "plugins"})


def expiring_site(site: Path) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """Copy the content into ``site``, make three items expire, build ``before`` and ``after``."""
    shutil.copytree(ROOT / "content", site / "content")
    (site / EXPIRING_PAGE).write_text("Title: Opération grand froid\nSlug: operation-hiver\n\n"
                                      "Numéros utiles cet hiver.\n", encoding="utf-8")
    add_field(site / EXPIRING_ARTICLE, "Expire: 2026-12-01 18:00")
    add_field(site / EXPIRING_EVENT, "Expiration: 2026-12-01")
    add_field(site / EXPIRING_PAGE, "Expire: 2026-12-01 08:00")
    return build_at(site, BEFORE_EXPIRY, "before"), build_at(site, AFTER_EXPIRY, "after")
