"""Drafts and scheduled articles are not in a production release; a scheduled
article appears with the first build after its date (SCHEDULE_NOW fixes "now")."""

from __future__ import annotations

import shutil

import pytest

from releaselib import release, text_of_release
from support import ROOT

DRAFT = """Title: Un brouillon confidentiel
Date: 2014-03-01
Category: Institution
Summary: Pas encore prêt.
Status: draft

Texte du brouillon.
"""
SCHEDULED = """Title: Une annonce programmée
Date: 2026-12-15 09:00
Category: Institution
Summary: Annonce attendue.

Texte de l'annonce.
"""


def everything(output) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in output.rglob("*")
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".ics", ".txt"))


@pytest.fixture
def content(content_copy):
    (content_copy / "articles" / "brouillon.md").write_text(DRAFT, encoding="utf-8")
    (content_copy / "articles" / "programme.md").write_text(SCHEDULED, encoding="utf-8")
    return content_copy


def test_production_writes_neither_drafts_nor_scheduled_articles(build_site, content):
    site = build_site(content=content, settings_file="publishconf.py",
                      SCHEDULE_NOW="2026-12-15 08:59")
    assert not (site.output / "brouillons").exists()
    text = everything(site.output)
    for hidden in ("un-brouillon-confidentiel", "Un brouillon confidentiel",
                   "une-annonce-programmee", "Une annonce programmée"):
        assert hidden not in text, hidden
    assert not list(site.output.glob("2026/12/15/*"))


def test_a_scheduled_article_is_published_from_its_date(build_site, content):
    site = build_site(content=content, settings_file="publishconf.py",
                      SCHEDULE_NOW="2026-12-15 09:00")
    assert (site.output / "2026/12/15/une-annonce-programmee/index.html").is_file()
    assert "une-annonce-programmee" in site.html("/")
    assert "une-annonce-programmee" in (site.output / "feeds/all.atom.xml").read_text()
    assert "une-annonce-programmee" in (site.output / "sitemap.xml").read_text()
    assert "une-annonce-programmee" in (site.output / "comment-threads.json").read_text()


def test_development_previews_them_under_brouillons_not_indexed(build_site, content):
    site = build_site(content=content, SCHEDULE_NOW="2026-12-01")
    for slug in ("un-brouillon-confidentiel", "une-annonce-programmee"):
        page = site.soup(f"/brouillons/{slug}/")
        assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert slug not in site.html("/") and slug not in site.html("/archives/")
        assert slug not in (site.output / "feeds/all.atom.xml").read_text()
        assert slug not in (site.output / "sitemap.xml").read_text()


def test_a_bad_schedule_now_is_a_message(build_site, content):
    from schedule import parse_now
    from schedule.schedule import ScheduleError

    with pytest.raises(ScheduleError, match="SCHEDULE_NOW « demain » illisible"):
        parse_now("demain", "Europe/Paris")
    assert parse_now("2026-12-15", "Europe/Paris").isoformat() == "2026-12-15T00:00:00+01:00"


def test_the_release_holds_no_draft_and_gains_the_article_when_due(tmp_path, content):
    assert release(tmp_path, "publish", content=content,
                   SCHEDULE_NOW="2026-12-14 23:00").returncode == 0
    current = tmp_path / "site" / "current"
    assert "une-annonce-programmee" not in text_of_release(current)
    assert "un-brouillon-confidentiel" not in text_of_release(current)
    proc = release(tmp_path, "publish", content=content, SCHEDULE_NOW="2026-12-15 10:00")
    assert proc.returncode == 0, proc.stderr
    assert "une-annonce-programmee" in text_of_release(current)
    assert "un-brouillon-confidentiel" not in text_of_release(current)


def test_a_link_to_a_scheduled_article_is_refused(build_site, content):
    from editorial import ContentError

    (content / "articles" / "annonce-lien.md").write_text(
        "Title: Un lien trop tôt\nDate: 2014-03-02\nCategory: Institution\nSummary: Un chapô.\n\n"
        "Voir [l'annonce]({filename}/articles/programme.md).\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_site(content=content, settings_file="publishconf.py", SCHEDULE_NOW="2026-12-01")
    assert "annonce-lien.md" in str(err.value)


def test_an_anchor_on_a_heading_as_the_guide_says(build_site, content_copy):
    (content_copy / "articles" / "ancre.md").write_text(
        "Title: Une ancre\nDate: 2014-03-02\nCategory: Institution\nSummary: Un chapô.\n\n"
        "Voir [plus bas](#contact).\n\n## Nous contacter {#contact}\n\nIci.\n", encoding="utf-8")
    build_site(content=content_copy)


def test_make_publish_lists_what_waits_without_publishing_it(tmp_path, content):
    """Every publication ends with the scheduled articles (with their date)
    and the drafts, in French; the list stays off the published site."""
    done = release(tmp_path, "publish", content=content)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    start = lines.index("En attente de publication : 1 article(s) programmé(s), 1 brouillon(s).")
    assert lines[start + 1] == ("- programmé le 15 décembre 2026 à 9\u00a0h : « Une annonce "
                                "programmée » (content/articles/programme.md)")
    assert lines[start + 2] == ("- brouillon : « Un brouillon confidentiel » "
                                "(content/articles/brouillon.md)")
    site = tmp_path / "site"
    assert "Un brouillon confidentiel" not in text_of_release(site / "current")
    assert not [p.name for p in (site / "releases").iterdir() if p.name.endswith(".txt")]


def test_only_drafts_carry_the_preview_banner(build_site, content):
    """A draft event is previewed with the « Brouillon » banner; a hidden
    article (published, only unlisted) has none."""
    (content / "articles" / "cache.md").write_text(
        DRAFT.replace("Status: draft", "Status: hidden").replace(
            "Un brouillon confidentiel", "Un article caché"), encoding="utf-8")
    (content / "events" / "brouillon.md").write_text(
        "Title: Un événement en préparation\nStart: 2027-03-01 10:00\nLocation: Cergy\n"
        "Status: draft\n\nTexte.\n", encoding="utf-8")
    site = build_site(content=content, SCHEDULE_NOW="2026-12-01")
    hidden = site.soup("/2014/03/01/un-article-cache/")
    assert hidden.select_one(".preview-banner") is None
    event = site.soup("/brouillons/agenda/un-evenement-en-preparation/")
    assert "Brouillon" in event.select_one(".preview-banner").get_text()
    assert event.find("meta", attrs={"name": "robots"})["content"] == "noindex"
