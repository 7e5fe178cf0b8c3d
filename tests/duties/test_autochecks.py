"""The statement's « Vérifications automatiques »: the figures of a record
written by `make a11y-report` (plugins/accessibility/autochecks.py), shown
only when the record's fingerprint is the one of the sources being built;
a stale or damaged record says nothing false and never stops the build."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st
from pelican.settings import read_settings

from accessibility import autochecks
from support import ROOT, squash, write_checks_record

WHEN = dt.datetime(2026, 12, 1, 18, 30, tzinfo=ZoneInfo("Europe/Paris"))
TOOLS = {
    "axe": {"version": "4.14.1", "tests": 23, "passed": 22, "failed": 1, "skipped": 0,
            "pages": 23, "errors": 2},
    "vnu": {"version": "26.9.27", "tests": 2, "passed": 2, "failed": 0, "skipped": 0,
            "pages": 61, "errors": 0},
    "keyboard": {"version": "131.0.6778.85", "tests": 3, "passed": 3, "failed": 0, "skipped": 0},
    "reflow": {"version": "131.0.6778.85", "tests": 2, "passed": 0, "failed": 0, "skipped": 2},
}


def settings_for(content):
    return read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})


def write_record(content, tools=TOOLS) -> None:
    write_checks_record(content, tools)


def checks_section(site) -> str:
    soup = site.soup("/accessibilite/")
    heading = soup.find(id="verifications-automatiques")
    assert heading is not None and squash(heading.get_text()) == "Vérifications automatiques"
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h2", "h3"):
            break
        parts.append(squash(sibling.get_text(" ")))
    return " | ".join(parts)


def test_a_record_of_these_sources_shows_its_day_and_figures(build_site, content_copy):
    write_record(content_copy)
    section = checks_section(build_site(content=content_copy))
    assert section.startswith(
        "Les tests automatisés du site ont été exécutés sur cette version le 1er décembre 2026 :")
    assert ("Contrôle automatique de l'accessibilité (axe-core 4.14.1, règles WCAG 2.0 et 2.1 "
            "de niveaux A et AA) : 23 pages contrôlées, 2 erreurs") in section
    assert "Validité du code HTML (Nu HTML Checker 26.9.27) : 61 pages contrôlées, aucune erreur" in section
    assert "Utilisation au clavier seul (Chromium 131.0.6778.85) : 3 vérifications réussies sur 3" in section
    # Every reflow test skipped: nothing is claimed for it.
    assert ("Affichage sur 320 pixels de large et avec un zoom à 200 % : non effectué pour "
            "cette version") in section
    assert "non effectuées pour cette version du site" not in section


def test_a_record_of_other_sources_is_not_shown(build_site, content_copy, caplog):
    write_record(content_copy)
    article = content_copy / "articles" / "2014-04-15-budget-2014-priorites.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n",
                       encoding="utf-8")
    with caplog.at_level(logging.INFO):
        section = checks_section(build_site(content=content_copy))
    assert section == "Vérifications automatiques non effectuées pour cette version du site."
    assert "4.14.1" not in section
    assert any("vérifications faites sur une autre version" in r.getMessage()
               for r in caplog.records)


def test_a_theme_change_also_makes_the_record_stale(content_copy, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = settings_for(content_copy)
    settings["THEME"] = str(theme)
    before = autochecks.sources_fingerprint(settings)
    assert before == autochecks.sources_fingerprint(settings_for(ROOT / "content")), \
        "a copy of the same sources has the same fingerprint"
    css = next(theme.rglob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert autochecks.sources_fingerprint(settings) != before


def test_the_record_itself_and_ignored_files_leave_the_fingerprint_alone(content_copy):
    settings = settings_for(content_copy)
    before = autochecks.sources_fingerprint(settings)
    write_record(content_copy)
    (content_copy / "articles" / ".brouillon.md.swp").write_bytes(b"\x00editor")
    (content_copy / "articles" / "Thumbs.db").write_bytes(b"\x00thumbs")
    assert autochecks.sources_fingerprint(settings) == before


def test_a_damaged_record_warns_in_french_and_the_build_goes_on(build_site, content_copy, caplog):
    (content_copy / autochecks.DEFAULT_RECORD).write_text('{"format": 1, "date": ', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        site = build_site(content=content_copy)
    assert checks_section(site) == "Vérifications automatiques non effectuées pour cette version du site."
    warnings = [r.getMessage() for r in caplog.records if "verifications-automatiques" in r.getMessage()]
    assert warnings == [
        "content/data/verifications-automatiques.json : le fichier n'est pas du JSON lisible ; "
        "la déclaration dit « vérifications automatiques non effectuées » : relancez "
        "« make a11y-report »"]


def test_without_a_record_the_statement_claims_no_check(dev_site):
    assert checks_section(dev_site) == \
        "Vérifications automatiques non effectuées pour cette version du site."


def test_figures_that_do_not_add_up_are_a_damaged_record():
    tools = {"keyboard": {**TOOLS["keyboard"], "passed": 5}}
    with pytest.raises(autochecks.DamagedRecord, match="« keyboard » : les nombres de tests"):
        autochecks.parse(autochecks.dump("sha256:ab", WHEN, tools))


def test_a_record_round_trips():
    record = autochecks.parse(autochecks.dump("sha256:ab", WHEN, TOOLS))
    assert record["date"] == WHEN.date() and record["tools"] == TOOLS


@given(st.one_of(
    st.text(max_size=200),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.sampled_from(["format", "date", "fingerprint", "tools", "axe",
                                                    "version", "tests", "pages", "x"]),
                                   inner, max_size=5),
                 max_leaves=20).map(json.dumps)))
def test_any_text_is_a_record_or_a_damaged_record(text):
    try:
        autochecks.parse(text)
    except autochecks.DamagedRecord as err:
        assert str(err)
