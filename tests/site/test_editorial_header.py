"""No field is ever lost silently: the header is read strictly, with lines.

Each mistake is written into a copy of the real content and built; the build
must stop with a French line naming the file and the line of the mistake.
"""

from __future__ import annotations

import re

import pytest

from editorial import ContentError

GOOD = """Title: Un article correct
Date: 2014-03-01
Category: Institution
Summary: Un chapô.

Du texte.
"""


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def refused(build_site, content_copy) -> list[str]:
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    message = str(err.value)
    assert re.match(r"^\d+ erreurs? dans le contenu ; rien n'a été publié :\n", message)
    return [line for line in message.splitlines() if line.startswith("- ")]


def the_line(lines, path, number, *words):
    """The one report line for this file and line, holding these words."""
    start = f"- content/{path}, ligne {number} : "
    found = [line for line in lines if line.startswith(start)]
    assert found, (start, lines)
    assert any(all(w in line for w in words) for line in found), (words, found)


@pytest.mark.parametrize("name,line", [
    ("status-espace.md", "Status : draft"),
    ("status-insecable.md", "Status\u00a0: draft"),
    ("status-fine.md", "Status\u202f: draft"),
    ("tags-espace.md", "Tags : colloque, budget"),
    ("comments-espace.md", "Comments : closed"),
])
def test_a_space_before_the_colon_on_the_last_header_line_is_refused(
        build_site, content_copy, name, line):
    write(content_copy / "articles", name, GOOD.replace("Summary: Un chapô.\n",
                                                        f"Summary: Un chapô.\n{line}\n"))
    lines = refused(build_site, content_copy)
    key = line.split()[0].split("\u00a0")[0].split("\u202f")[0]
    the_line(lines, f"articles/{name}", 5, "espace avant les deux-points", f"« {key}: … »")


def test_a_draft_with_a_space_before_the_colon_is_never_published(build_site, content_copy):
    write(content_copy / "articles", "brouillon.md",
          GOOD.replace("Summary: Un chapô.\n", "Summary: Un chapô.\nStatus : draft\n"))
    with pytest.raises(ContentError):
        site = build_site(content=content_copy)
        pytest.fail(f"built: {site.output}")


@pytest.mark.parametrize("name,text,number,words", [
    ("sans-deux-points.md", GOOD.replace("Category: Institution", "Category Institution"),
     3, ("sans « Nom: valeur »", "ligne vide")),
    ("tabulation.md", GOOD.replace("Category:", "\tCategory:"), 3,
     ("espace ou tabulation avant le champ « category »",)),
    ("retrait.md", GOOD.replace("Summary:", "    Summary:"), 4,
     ("espace ou tabulation avant le champ « summary »",)),
    ("texte-colle.md", GOOD.replace("Un chapô.\n\n", "Un chapô.\n"), 5,
     ("sans « Nom: valeur »", "ajoutez une ligne vide")),
    ("ligne-vide.md", GOOD.replace("Date:", "\nDate:"), 2,
     ("ligne vide dans l'en-tête", "« date » (ligne 3)")),
    ("deux-fois.md", GOOD.replace("Summary: Un chapô.", "Summary: Un chapô.\nTitle: Autre"), 5,
     ("champ « title »", "deux fois (lignes 1 et 5)")),
    ("vide-avant.md", "\n" + GOOD, 1, ("ligne vide avant l'en-tête",)),
])
def test_a_broken_header_line_is_refused_with_its_line(
        build_site, content_copy, name, text, number, words):
    write(content_copy / "articles", name, text)
    the_line(refused(build_site, content_copy), f"articles/{name}", number, *words)


EVENT = """Title: Une réunion
Start: 2027-05-04 18:00
End: 2027-05-04 20:00

Location: Mairie de Pontoise
Summary: Une réunion publique.

Le texte.
"""


def test_a_blank_line_inside_an_event_header_is_refused(build_site, content_copy):
    write(content_copy / "events", "reunion.md", EVENT)
    the_line(refused(build_site, content_copy), "events/reunion.md", 4,
             "ligne vide dans l'en-tête", "« location » (ligne 5)")


def test_a_body_paragraph_that_looks_like_a_field_stays_text(build_site, content_copy):
    write(content_copy / "articles", "attention.md",
          GOOD.replace("Du texte.", "Attention: travaux la nuit.\n\nDu texte."))
    site = build_site(content=content_copy)
    body = site.soup("/2014/03/01/un-article-correct/").select_one("main").get_text(" ")
    assert "Attention: travaux la nuit." in " ".join(body.split())


@pytest.mark.parametrize("typed", [
    "Solidarite\u0301s",          # decomposed accent (macOS)
    "Routes\u00a0et mobilités",   # non-breaking space
    "Routes  et  mobilités ",     # doubled spaces
])
def test_a_category_that_looks_allowed_is_read_as_the_allowed_one(
        build_site, content_copy, typed):
    allowed = "Solidarités" if typed.startswith("Solid") else "Routes et mobilités"
    write(content_copy / "articles", "categorie.md", GOOD.replace("Institution", typed))
    site = build_site(content=content_copy)
    page = site.soup("/2014/03/01/un-article-correct/")
    assert allowed in page.get_text(" ")
    listed = {a.get_text(" ", strip=True) for a in site.soup("/categories/").select("main a")}
    assert all("\u0301" not in c and "\u00a0" not in c and "  " not in c for c in listed)


def test_a_file_not_saved_in_utf8_is_refused_with_the_first_bad_byte(build_site, content_copy):
    text = GOOD.replace("Du texte.", "Du texte.\nLe Département a réuni les élus.")
    write(content_copy / "articles", "ansi.md", text, encoding="cp1252")
    lines = refused(build_site, content_copy)
    # "Summary: Un chapô." is line 4; "ô" is its 17th character.
    the_line(lines, "articles/ansi.md", 4, "n'est pas enregistré en UTF-8",
             "ligne 4, colonne 17", "UTF-8")
    assert not any("codec" in line or "utf-8" in line for line in lines)
