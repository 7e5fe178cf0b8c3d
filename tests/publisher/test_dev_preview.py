"""The development preview (pelicanconf.py, what `make serve` publishes):
drafts and scheduled articles are built as preview pages with a banner, a
tag or category that no published article uses does not refuse the whole
site, and a draft's real mistakes are still reported with file and line."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from publib import sandbox

from release import BuildFailed
from support import PREVIEW_DRAFT as DRAFT, PREVIEW_SCHEDULED as SCHEDULED



@pytest.fixture
def box(tmp_path):
    box = sandbox(tmp_path, base="pelicanconf")  # SCHEDULE_NOW 2026-11-26 12:00
    (box.content / "articles" / "2026-11-01-brouillon.md").write_text(DRAFT, encoding="utf-8")
    (box.content / "articles" / "2026-12-15-annonce.md").write_text(SCHEDULED, encoding="utf-8")
    return box


def publish(box):
    from publisher import Publisher

    publisher = Publisher(box.options())
    publisher.full()
    return publisher


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_new_tags_of_a_draft_and_a_scheduled_article_do_not_refuse_the_preview(box):
    publisher = publish(box)
    assert publisher.session.waiting_lines == [
        "En attente de publication : 1 article(s) programmé(s), 1 brouillon(s).",
        "- programmé le 15 décembre 2026 à 9\u00a0h : « Une annonce programmée » "
        "(content/articles/2026-12-15-annonce.md)",
        "- brouillon : « Un brouillon tout neuf » (content/articles/2026-11-01-brouillon.md)"]
    current = box.current
    assert (current / "index.html").is_file()
    draft = soup(current / "brouillons/un-brouillon-tout-neuf/index.html")
    banner = draft.select_one(".preview-banner")
    assert banner is not None and "Brouillon" in banner.get_text()
    assert draft.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    tags = draft.select_one(".tag-list")
    assert "sujet-inédit-du-brouillon" in tags.get_text() and tags.find("a") is None
    # A category that has a listing stays a link.
    assert draft.select_one(".article__category a")["href"] == "/categorie/institution/"

    scheduled = soup(current / "brouillons/une-annonce-programmee/index.html")
    text = re.sub(r"[ \t\n]+", " ", scheduled.select_one(".preview-banner").get_text())
    assert "Programmé le 15 décembre 2026 à 9\u00a0h" in text
    assert scheduled.select_one(".preview-banner time")["datetime"].startswith("2026-12-15T09:00")
    for listing in ("index.html", "archives/index.html", "feeds/all.atom.xml", "sitemap.xml"):
        body = (current / listing).read_text(encoding="utf-8")
        assert "un-brouillon-tout-neuf" not in body and "une-annonce-programmee" not in body


def test_a_broken_link_in_a_draft_is_reported_with_its_file_and_line(box):
    draft = box.content / "articles" / "2026-11-01-brouillon.md"
    draft.write_text(DRAFT + "\nVoir [le plan](/plan-inexistant/).\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as refused:
        publish(box)
    assert "content/articles/2026-11-01-brouillon.md, ligne 10" in str(refused.value)
    assert "/plan-inexistant/" in str(refused.value)
