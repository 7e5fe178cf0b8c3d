"""Editors' second pass (issue 20, text): each mistake, in a copy of content/,
is refused with a French line naming the file, the line and the fix, or is
published as a careful editor would have fixed it."""

from __future__ import annotations

import re

import pytest

from editorial import ContentError

HEADER = """Title: Un article correct
Date: 2014-03-01
Category: Institution
Summary: Un chapô.
"""
GOOD = HEADER + "\nDu texte.\n"
URL = "/2014/03/01/un-article-correct/"


def write(content, name, text, folder="articles"):
    path = content / folder / name if folder else content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(build_site, content) -> list[str]:
    with pytest.raises(ContentError) as err:
        build_site(content=content)
    return err.value.lines


def only_line(lines, where, *words):
    """The one report line about ``where`` (``content/articles/a.md, ligne 7``)."""
    mine = [line for line in lines if line.startswith(f"- {where}")]
    assert len(mine) == 1, lines
    for word in words:
        assert word in mine[0], mine[0]
    return mine[0]


def body(site, url=URL):
    return site.soup(url).find(attrs={"data-pagefind-body": True}) or site.soup(url)


# --- Refused, with the file, the line and the fix -------------------------

CASES = [
    # (id, text, line, words)
    ("control", GOOD.replace("Du texte.", "Du te\x08xte."), 6, ["U+0008", "supprimez"]),
    ("nul", GOOD.replace("Du texte.", "Du\x00 texte."), 6, ["U+0000"]),
    ("second-h1", GOOD + "\n# Un autre titre\n\nSuite.\n", 8, ["niveau 1", "## Un autre titre"]),
    ("first-h4", GOOD + "\n#### Détails\n\nSuite.\n", 8, ["niveau 4", "commencez par « ## »"]),
    ("emoji-heading", GOOD + "\n## 🎉\n\nSuite.\n", 8, ["sans aucun mot"]),
    ("unclosed-comment", GOOD + "\n<!-- note interne\n\nSuite.\n", 8, ["jamais fermé", "-->"]),
    ("table-cell", GOOD + "\n| A | B |\n|---|---|\n| 1 | 2 | 3 |\n", 10,
     ["3 cellules pour 2 colonnes"]),
    ("undefined-ref", GOOD + "\nVoir le [plan][x].\n", 8, ["[plan][x]", "[x]: adresse"]),
    ("mailto", GOOD + "\nÉcrire à [nous](mailto:routes.valdoise.fr).\n", 8,
     ["mailto:nom@domaine.fr"]),
    ("tel", GOOD + "\nAppelez le [standard](<tel:01 34 25 XX XX>).\n", 8,
     ["tel:+33134252525"]),
    ("tel-spaces", GOOD + "\nAppelez le [standard](<tel:01 34 25 30 30>).\n", 8,
     ["tel:0134253030"]),
    ("space-url", GOOD + "\nLe [plan](<https://example.org/mon plan.pdf>).\n", 8, ["%20"]),
    ("bare-md", GOOD + "\nVoir [la rentrée](2014-09-01-rentree-colleges.md).\n", 8,
     ["{filename}/articles/2014-09-01-rentree-colleges.md"]),
    ("static-md", GOOD + "\nVoir [la rentrée]({static}/articles/2014-09-01-rentree-colleges.md).\n",
     8, ["{static}", "{filename}/articles/2014-09-01-rentree-colleges.md"]),
    ("img-no-alt", GOOD + '\n<img src="{static}/images/budget-2014.svg">\n', 8,
     ["texte alternatif", 'alt="'][:2]),
]


@pytest.mark.parametrize("text,line,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_body_mistake_is_refused_with_its_line_and_fix(build_site, content_copy, text, line,
                                                         words):
    write(content_copy, "faute.md", text)
    lines = refused(build_site, content_copy)
    only_line(lines, f"content/articles/faute.md, ligne {line} :", *words)


HEADER_CASES = [
    ("year-2062", HEADER.replace("2014-03-01", "2062-03-01"), 2, ["plus de deux ans"]),
    ("year-9999", HEADER.replace("2014-03-01", "9999-03-01"), 2, ["année 9999 invraisemblable"]),
    ("year-0001", HEADER.replace("2014-03-01", "0001-12-05"), 2, ["année 0001 invraisemblable"]),
    ("modified-before", HEADER + "Modified: 2014-02-01\n", 5, ["avant la date"]),
    ("yaml", "---\n" + HEADER + "Tags: [routes, travaux]\n---\n", 1,
     ["YAML", "Tags: routes, travaux"]),
    ("french-title", HEADER.replace("Title:", "Titre:"), 1, ["Title:"]),
    ("french-summary", HEADER.replace("Summary:", "Résumé:"), 4, ["Summary:"]),
    ("french-tags", HEADER + "Étiquettes: routes\n", 5, ["Tags:"]),
    ("zero-width", HEADER.replace("Institution", "Insti\u200btution"), 3,
     ["U+200B", "retapez"]),
    ("zero-width-tag", HEADER + "Tags: rou\u200btes\n", 5, ["U+200B"]),
    ("lang", HEADER + "Lang: en\n", 5, ["français", "Lang:"]),
    ("markup-title", HEADER.replace("Un article correct", "Un <em>vrai</em> titre"), 1,
     ["balises HTML", "<em>"]),
    ("one-letter", HEADER.replace("Un article correct", "A") + "Slug: a\n", 1, ["trop court"]),
    ("long-summary", HEADER.replace("Un chapô.", "Mot " * 100), 4, ["399 caractères", "300 au plus"]),
    ("summary-br", HEADER.replace("Un chapô.", "Un.<br>Deux."), 4, ["un seul paragraphe", "<br>"]),
    ("summary-p", HEADER.replace("Un chapô.", "<p>Un.</p><p>Deux.</p>"), 4, ["un seul paragraphe", "<p>"]),
]


@pytest.mark.parametrize("header,line,words", [c[1:] for c in HEADER_CASES],
                         ids=[c[0] for c in HEADER_CASES])
def test_a_header_mistake_is_refused_with_its_line_and_fix(build_site, content_copy, header,
                                                           line, words):
    write(content_copy, "faute.md", header + "\nDu texte.\n")
    lines = refused(build_site, content_copy)
    mine = [entry for entry in lines if entry.startswith("- content/articles/faute.md")]
    assert any(entry.startswith(f"- content/articles/faute.md, ligne {line} :")
               and all(w in entry for w in words) for entry in mine), mine


def test_the_date_of_the_file_name_must_be_the_date(build_site, content_copy):
    write(content_copy, "2014-03-02-un-article.md", GOOD)
    lines = refused(build_site, content_copy)
    only_line(lines, "content/articles/2014-03-02-un-article.md, ligne 2 :", "2014-03-02",
              "2014-03-01")


def test_an_event_in_year_9999_is_refused_not_a_crash(build_site, content_copy):
    event = next((content_copy / "events").glob("2027-01-15-*.md"))
    event.write_text(event.read_text(encoding="utf-8").replace("2027-01-15 18:00",
                                                               "9999-01-15 18:00"),
                     encoding="utf-8")
    lines = refused(build_site, content_copy)
    assert any(f"content/events/{event.name}, ligne 2 :" in entry and "9999" in entry
               for entry in lines), lines


def test_an_empty_text_is_refused(build_site, content_copy):
    write(content_copy, "vide.md", HEADER + "\n\n")
    lines = refused(build_site, content_copy)
    only_line(lines, "content/articles/vide.md :", "texte est vide")


def test_a_guessed_anchor_names_the_fix(build_site, content_copy):
    write(content_copy, "ancre.md", GOOD + "\nVoir [le programme]"
          "({filename}/articles/2014-09-01-rentree-colleges.md#programme).\n")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    line = only_line(err.value.lines, "content/articles/ancre.md, ligne 8 :", "#programme")
    assert "{#programme}" in line


def test_a_link_to_the_own_domain_in_http_is_checked(build_site, content_copy):
    write(content_copy, "domaine.md", GOOD + "\nVoir [les archives](http://valdoise.fr/archives/) "
          "et [une page](http://www.valdoise.fr/nulle-part/).\n")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = err.value.lines
    only_line(lines, "content/articles/domaine.md, ligne 8 :", "nulle-part")
    assert not any("/archives/" in line for line in lines)


# --- Files ---------------------------------------------------------------

def test_a_file_in_an_unknown_folder_or_at_the_root_is_refused(build_site, content_copy):
    write(content_copy, "perdu.md", GOOD, folder="article")
    write(content_copy, "racine.md", GOOD, folder=None)
    lines = refused(build_site, content_copy)
    only_line(lines, "content/article/perdu.md :", "content/articles/")
    only_line(lines, "content/racine.md :", "racine de content/", "content/articles/")


def test_editor_backups_are_ignored(build_site, content_copy):
    for name in ("correct.md~", ".#correct.md", ".correct.md.swp", "~$correct.md"):
        write(content_copy, name, "n'importe quoi\x00")
    write(content_copy, "correct.md", GOOD)
    site = build_site(content=content_copy)
    assert site.path(URL).is_file()


def test_an_explorer_copy_is_named_as_a_copy(build_site, content_copy):
    original = next((content_copy / "articles").glob("2014-09-01-*.md"))
    copy = original.with_name(original.stem + " (1).md")
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    lines = refused(build_site, content_copy)
    assert lines == [f"- content/articles/{copy.name} : ce fichier est une copie de "
                     f"« {original.name} » faite par l'explorateur de fichiers (même titre, même "
                     "adresse) ; supprimez cette copie, ou, si c'est un nouveau texte, renommez "
                     "le fichier (sans « (1) » ni « Copie ») et changez son titre"]


def test_a_tag_written_with_other_capitals_is_refused(build_site, content_copy):
    write(content_copy, "a.md", HEADER + "Tags: routes\n\nTexte.\n")
    write(content_copy, "b.md", HEADER.replace("correct", "second").replace("03-01", "03-02")
          + "Tags: routes\n\nTexte.\n")
    write(content_copy, "c.md", HEADER.replace("correct", "troisième").replace("03-01", "03-03")
          + "Tags: Routes\n\nTexte.\n")
    lines = refused(build_site, content_copy)
    assert lines and all(line.startswith("- content/articles/c.md, ligne 5 :") for line in lines)
    assert "« routes »" in lines[0]


# --- Published as the editor meant it -------------------------------------

def test_the_editors_text_is_published_as_meant(build_site, content_copy):
    write(content_copy, "texte.md", HEADER.replace("Un chapô.", "Un chapô. <!-- chapô à revoir -->")
          + "Tags: “routes”\n\n"
          "<!-- NE PAS PUBLIER : montant à confirmer -->\n"
          "Les étapes :\n• inscrire\n• venir\n\n"
          "Les lieux :\n- Cergy\n  - Préfecture\n  - Hautil\n- Pontoise\n\n"
          '<div class="encadre">\n**Important** : voir [la rentrée]'
          "({filename}/articles/2014-09-01-rentree-colleges.md).\n</div>\n\n"
          "Une note[^1].\n\n[^1]: La note.\n")
    site = build_site(content=content_copy)
    html = site.html(URL)
    assert "NE PAS PUBLIER" not in html and "à revoir" not in html
    assert "à revoir" not in (site.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    text = body(site)
    lists = text.find_all("ul")
    assert [li.get_text(strip=True) for li in lists[0].find_all("li")] == ["inscrire", "venir"]
    nested = lists[1].find("li").find("ul")
    assert nested is not None and [li.get_text() for li in nested.find_all("li")] == [
        "Préfecture", "Hautil"]
    box = text.find("div", class_="encadre")
    assert box.find("strong").get_text() == "Important"
    assert box.find("a")["href"].startswith("/2014/09/01/")
    backref = text.find("a", class_="footnote-backref")
    assert "Jump" not in html and backref["title"].startswith("Revenir")
    assert site.path("/etiquette/routes/").is_file()


def test_quotes_around_a_title_are_dropped_and_english_ones_become_french(build_site,
                                                                        content_copy):
    write(content_copy, "titre.md", GOOD.replace("Un article correct",
                                                 '"Le “grand” budget"'))
    site = build_site(content=content_copy)
    h1 = site.soup("/2014/03/01/le-grand-budget/").h1.get_text()
    assert re.sub(r"\s", " ", h1) == "Le « grand » budget"


@pytest.mark.parametrize("typed,shown", [
    ('"Le budget"', "Le budget"), ("« Le budget »", "Le budget"),
    ("Le “grand” budget", "Le « grand » budget"), ('Le "grand" budget', "Le « grand » budget"),
    ('Un écran 27" au collège', 'Un écran 27" au collège'), ("L’été", "L’été"),
])
def test_title_quotes_as_a_french_editor_means_them(typed, shown):
    from editorial.textrules import tidy_title

    assert tidy_title(typed) == shown
