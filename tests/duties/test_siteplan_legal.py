"""The « Plan du site » (every section, linked from every page, in the
sitemap) and the mentions légales from the settings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from editorial import ContentError
from legal import REQUIRED
from support import squash

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def plan_links(site):
    soup = site.soup("/plan-du-site/")
    return {a["href"] for a in soup.main.find_all("a")}, soup


def test_the_site_plan_lists_every_published_section(dev_site):
    hrefs, soup = plan_links(dev_site)
    assert {"/", "/agenda/", "/agenda/passes/", "/categories/", "/etiquettes/", "/archives/",
            "/recherche/", "/donnees/"} <= hrefs
    # Every category, tag and page listing of the build, read from its own pages.
    categories = {a["href"] for a in dev_site.soup("/categories/").main.select(".term-list a")}
    tags = {a["href"] for a in dev_site.soup("/etiquettes/").main.find_all("a")
            if a["href"].startswith("/etiquette/")}
    assert categories and categories <= hrefs
    assert tags and tags <= hrefs
    for url in ("/accessibilite/", "/mentions-legales/", "/charte-de-moderation/",
                "/donnees-personnelles/"):
        assert url in hrefs, url
    upcoming = {a["href"] for a in dev_site.soup("/agenda/").main.find_all("a")
                if a["href"].startswith("/agenda/") and a["href"].count("/") == 3
                and a["href"] not in ("/agenda/passes/",)}
    assert upcoming and upcoming <= hrefs
    assert [squash(h.get_text()) for h in soup.main.find_all("h2")] == [
        "Rubriques", "Catégories", "Étiquettes", "Agenda : événements à venir", "Informations"]


def test_the_site_plan_is_in_the_sitemap_and_linked_from_every_page(dev_site):
    root = ET.parse(dev_site.output / "sitemap.xml").getroot()
    locs = [loc.text for loc in root.iter(SITEMAP + "loc")]
    assert any(loc.endswith("/plan-du-site/") for loc in locs)
    pages = [p for p in dev_site.output.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 40
    for path in pages:
        soup = dev_site.soup("/" + path.relative_to(dev_site.output).as_posix())
        items = soup.select(".site-footer nav li")
        assert items, path
        texts = [squash(li.get_text()) for li in items]
        # Same place everywhere: the accessibility mention, then the plan.
        assert texts[0].startswith("Accessibilité : ") and texts[1] == "Plan du site", (path, texts)
        assert items[1].a["href"] == "/plan-du-site/"


def test_legal_notice_shows_the_settings(dev_site):
    soup = dev_site.soup("/mentions-legales/")
    text = squash(soup.main.get_text(" "))
    for name in REQUIRED:
        value = squash(dev_site.settings[name])
        assert value in text, name
    assert soup.select_one(".legal__data a")["href"] == "mailto:" + dev_site.settings["LEGAL_DATA_CONTACT"]
    assert "Les liens vers d'autres sites" in text, "the page's own text follows"


@pytest.mark.parametrize("name", ["LEGAL_HOST", "LEGAL_DIRECTOR", "LEGAL_DATA_CONTACT"])
def test_legal_notice_is_refused_without_its_settings(build_site, name):
    with pytest.raises(ContentError) as err:
        build_site(**{name: "  "})
    lines = [line for line in str(err.value).splitlines() if line.startswith("- ")]
    assert lines == [
        f"- content/pages/mentions-legales.md : réglage {name} manquant dans pelicanconf.py "
        f"({REQUIRED[name]}) : les mentions légales ne peuvent pas être publiées sans lui ; "
        f"ajoutez une ligne « {name} = \"…\" » dans pelicanconf.py"]
