"""Easy-to-read companions: the « Facile: » field links both pages, the
companion is marked in listings, mistakes stop the build, no logo by default."""

from __future__ import annotations

import pytest

from editorial import ContentError
from support import squash

ARTICLE = """Title: Le plan grand froid
Date: 2014-12-03
Category: Solidarités
Summary: Le plan grand froid expliqué simplement.
{extra}
Quand il fait très froid, le Département aide les personnes sans logement.
"""


def test_a_page_and_its_easy_version_link_each_other_at_the_top(dev_site):
    original = dev_site.soup("/charte-de-moderation/")
    easy = dev_site.soup("/charte-de-moderation-facile/")
    first = original.main.article.find(["p", "h2"], recursive=False)
    assert first["class"] == ["easy-read"] and first.a["href"] == "/charte-de-moderation-facile/"
    top = easy.main.article.find(["p", "h2"], recursive=False)
    assert top["class"] == ["easy-read"] and top.a["href"] == "/charte-de-moderation/"
    assert "version facile à lire et à comprendre de « Charte de modération des commentaires »" \
        in squash(top.get_text(" "))
    assert top.find("img") is None, "no FALC logo unless the texts were labelled"
    footer = [a["href"] for a in easy.select(".site-footer a")]
    assert "/charte-de-moderation-facile/" not in footer, "reached from its original"
    assert "/charte-de-moderation-facile/" in {a["href"] for a in
                                               dev_site.soup("/plan-du-site/").main.find_all("a")}


def test_an_easy_article_is_marked_in_listings_and_the_logo_needs_the_setting(
        build_site, content_copy):
    (content_copy / "articles" / "2014-12-03-plan-grand-froid-facile.md").write_text(
        ARTICLE.format(extra=""), encoding="utf-8")
    original = content_copy / "articles" / "2014-12-02-plan-grand-froid.md"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("Title:", "Facile: {filename}2014-12-03-plan-grand-froid-facile.md\nTitle:", 1),
                        encoding="utf-8")
    site = build_site(content=content_copy, EASY_TO_READ_LOGO="theme/images/favicon.svg")
    cards = site.soup("/archives/").select(".card") or site.soup("/").select(".card")
    marked = [squash(c.h2.get_text()) for c in site.soup("/categorie/solidarites/").select(".card")
              if c.select_one(".card__easy")]
    assert marked == ["Le plan grand froid"]
    easy_url = site.soup("/categorie/solidarites/").select_one(".card__easy").find_parent(
        class_="card").h2.a["href"]
    easy = site.soup(easy_url)
    assert easy.select_one(".easy-read img")["alt"] == "Facile à lire et à comprendre"
    back = easy.select_one(".easy-read a")["href"]
    assert site.soup(back).select_one(".easy-read a")["href"] == easy_url
    assert cards


@pytest.mark.parametrize("value,words", [
    ("{filename}absente.md", "aucune actualité ni page publiée"),
    ("charte-de-moderation", "sa propre version facile"),
    ("{filename}charte-de-moderation-facile.md", "déjà la version facile à lire"),
])
def test_a_wrong_companion_stops_the_build_naming_the_line(build_site, content_copy, value, words):
    page = content_copy / "pages" / "charte-de-moderation.md"
    if words.startswith("déjà"):
        page = content_copy / "pages" / "donnees-personnelles.md"
    text = page.read_text(encoding="utf-8")
    if "Facile:" in text:
        text = "\n".join(line for line in text.splitlines() if not line.startswith("Facile:")) + "\n"
    text = text.replace("Title:", f"Facile: {value}\nTitle:", 1)
    page.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = [line for line in str(err.value).splitlines() if line.startswith("- ")]
    assert lines == [next(line for line in lines if words in line)]
    assert lines[0].startswith(f"- content/pages/{page.name}, ligne 1 : champ « facile » : "), lines[0]
    assert " ; " in lines[0]
