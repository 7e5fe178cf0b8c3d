"""Unpublishing on time (plugins/expiry): real builds of a copy of the
content, with the SCHEDULE_NOW clock before and after the expiry; the
publisher's next due moment is the next expiry."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support import (AFTER_EXPIRY, BEFORE_EXPIRY, EXPIRING_ARTICLE, EXPIRING_EVENT, EXPIRING_PAGE, ROOT,
                     add_field, build_at, expiring_site)

ARTICLE, EVENT, PAGE = EXPIRING_ARTICLE, EXPIRING_EVENT, EXPIRING_PAGE
BEFORE, AFTER = BEFORE_EXPIRY, AFTER_EXPIRY


def every_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".ics", ".txt"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    site = tmp_path_factory.mktemp("expiry")
    before, after = expiring_site(site)
    assert before.returncode == 0, before.stderr
    assert after.returncode == 0, after.stderr
    return site


def source_title(path: Path) -> str:
    return next(line[len("Title:"):].strip() for line in path.read_text().splitlines()
                if line.startswith("Title:"))


@pytest.mark.parametrize("relative", [ARTICLE, EVENT, PAGE])
def test_online_before_its_expiry_gone_after(builds, relative):
    title = source_title(builds / relative)
    from html import escape

    shown = escape(title, quote=False)
    assert shown in every_text(builds / "before")
    assert shown not in every_text(builds / "after")
    assert title not in every_text(builds / "after")


def test_the_rest_of_the_site_is_still_built(builds):
    assert (builds / "after" / "index.html").is_file()
    assert (builds / "after" / "404.html").is_file()
    assert len(list((builds / "after").rglob("index.html"))) > 20


def check(tmp_path, relative: str, *lines: str, now: str = BEFORE) -> str:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for line in reversed(lines):
        add_field(tmp_path / relative, line)
    done = build_at(tmp_path, now, "out")
    assert done.returncode == 1, done.stderr
    return done.stderr


def test_an_unreadable_expiry_is_refused_with_its_line(tmp_path):
    report = check(tmp_path, ARTICLE, "Expire: 31/12/2026")
    assert (f"- {ARTICLE}, ligne 2 : champ « expire » : date « 31/12/2026 » illisible"
            in report), report


def test_both_fields_are_refused(tmp_path):
    report = check(tmp_path, ARTICLE, "Expire: 2026-12-31", "Expiration: 2026-12-31")
    assert f"- {ARTICLE}, ligne 3 : champ « expiration » : « Expire: » et « Expiration: »" \
        in report, report


def test_an_expiry_before_the_date_is_refused(tmp_path):
    report = check(tmp_path, ARTICLE, "Expire: 2014-07-01")
    assert "la date de retrait 2014-07-01 00:00 n'est pas après la date de publication" in report


def test_a_link_to_a_text_that_expires_is_refused(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    add_field(tmp_path / ARTICLE, "Expire: 2026-12-20")
    other = tmp_path / "content/articles/lien.md"
    other.write_text("Title: Un article qui reste\nDate: 2026-11-01\nCategory: Environnement\n"
                     "Summary: Résumé.\n\nVoir [les travaux]({filename}/articles/"
                     + Path(ARTICLE).name + ").\n", encoding="utf-8")
    done = build_at(tmp_path, BEFORE, "out")
    assert done.returncode == 1
    assert ("- content/articles/lien.md, ligne 6 : lien « {filename}/articles/"
            f"{Path(ARTICLE).name} » vers un texte retiré du site le 2026-12-20 à 00:00"
            in done.stderr), done.stderr


def test_the_publisher_is_due_at_the_next_expiry(tmp_path, monkeypatch):
    """Real clock (no SCHEDULE_NOW): the build's next due moment is the expiry."""
    from publib import sandbox
    from publisher.publish import Publisher

    monkeypatch.delenv("SCHEDULE_NOW", raising=False)
    box = sandbox(tmp_path)
    text = box.settings.read_text().replace("SCHEDULE_NOW", "_UNUSED_NOW")
    box.settings.write_text(text)
    zone = ZoneInfo("Europe/Paris")
    soon = (dt.datetime.now(zone) + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    add_field(box.content / "articles" / Path(ARTICLE).name, f"Expire: {soon:%Y-%m-%d %H:%M}")
    publisher = Publisher(box.options())
    publisher.full()
    assert publisher.next_due == soon
    assert not publisher.due(soon - dt.timedelta(seconds=1))
    assert publisher.due(soon)
