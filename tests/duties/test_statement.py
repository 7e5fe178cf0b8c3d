"""The accessibility statement built from content/data/accessibilite.toml:
the RGAA's form, the footer mention on every page, an incomplete statement
refused, an old one warned about."""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib

import pytest

from accessibility import rgaa, statement
from comment_service.accessibility import recourse
from editorial import ContentError
from support import ROOT, squash

DATA = ROOT / "content" / "data" / "accessibilite.toml"
PAGE_TYPES = {
    "home": "/",
    "article": "/2014/06/12/inventer-les-services-publics-de-demain/",
    "event": "/agenda/reunion-publique-sur-lamenagement-de-la-rd-14/",
    "agenda": "/agenda/",
    "category": "/categorie/culture-et-patrimoine/",
    "tag": "/etiquette/maubuisson/",
    "archives": "/archives/",
    "page": "/charte-de-moderation/",
    "statement": "/accessibilite/",
    "siteplan": "/plan-du-site/",
    "opendata": "/donnees/",
    "search": "/recherche/",
}


def data():
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def footer_mention(soup):
    link = soup.select_one(".site-footer .site-footer__accessibility a")
    return (squash(link.get_text()), link["href"]) if link else None


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_footer_mention_on_every_page_type_equals_the_data(dev_site, kind):
    soup = dev_site.soup(PAGE_TYPES[kind])
    assert footer_mention(soup) == (f"Accessibilité : {data()['etat']}", "/accessibilite/")


def test_statement_page_follows_the_rgaa_form(dev_site):
    soup = dev_site.soup("/accessibilite/")
    text = squash(soup.main.get_text(" "))
    facts = data()
    assert "article 47 de la loi n° 2005-102 du 11 février 2005" in text
    assert soup.select_one(".statement__status").get_text() == facts["etat"]
    assert f"version {facts['rgaa']}" in text
    headings = [squash(h.get_text()) for h in soup.main.find_all(["h2", "h3"])]
    for heading in ("État de conformité", "Non-conformités",
                    "Dérogations pour charge disproportionnée",
                    "Contenus non soumis à l'obligation d'accessibilité",
                    "Technologies utilisées pour la réalisation du site", "Environnement de test",
                    "Outils pour évaluer l'accessibilité",
                    "Pages du site ayant fait l'objet de la vérification de conformité",
                    "Retour d'information et contact", "Voies de recours"):
        assert heading in headings, heading
    hrefs = {a["href"] for a in soup.main.find_all("a")}
    assert {facts["schema_pluriannuel"], facts["plan_action"],
            f"mailto:{facts['contact']['courriel']}"} <= hrefs
    assert {p["adresse"] for p in facts["pages"]} <= hrefs
    for item in facts["non_conformites"]:
        assert squash(item)[:60] in text
    routes = squash(soup.select_one(".statement__routes").get_text(" "))
    for before, link, url, after in recourse.ROUTES:  # the one place they are written
        assert squash(before + link + after).strip() in routes
        if url:
            assert url in hrefs
    assert "délégué" in routes and "formulaire en ligne" in routes
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in routes
    assert "Cette déclaration a été établie le 30 novembre 2026" in text
    assert "Le code de sécurité du formulaire de commentaire" in text, "the page's own text follows"


def test_a_share_of_criteria_changes_the_status_and_the_footer(build_site, content_copy):
    path = content_copy / "data" / "accessibilite.toml"
    text = path.read_text(encoding="utf-8").replace('etat = "non conforme"',
                                                    'etat = "partiellement conforme"')
    text += '\n[audit]\ndate = 2026-10-01\nauditeur = "Cabinet Exemple"\ntaux = 72.5\n'
    path.write_text(text, encoding="utf-8")
    site = build_site(content=content_copy)
    for url in ("/", "/agenda/", "/accessibilite/"):
        assert footer_mention(site.soup(url))[0] == "Accessibilité : partiellement conforme"
    share = site.soup("/accessibilite/").select_one(".statement__share")
    assert squash(share.get_text()) == "72,5 %"
    assert "Cabinet Exemple le 1 octobre 2026" in squash(site.soup("/accessibilite/").main.get_text(" ")) \
        or "Cabinet Exemple le 1er octobre 2026" in squash(site.soup("/accessibilite/").main.get_text(" "))


def line_of(text, start):
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("change,field,words", [
    (lambda t: re.sub(r"(?m)^plan_action = .*\n", "", t), "« plan_action »", "manquant"),
    (lambda t: t.replace('etat = "non conforme"', 'etat = "conforme"'), "« etat »",
     "n'est pas un état du RGAA"),
    (lambda t: t.replace('rgaa = "4.1.2"', 'rgaa = "5"'), "« rgaa »", "inconnue"),
    (lambda t: t.replace("derogations = []\n", ""), "« derogations »", "liste manquante"),
    (lambda t: t.replace("date = 2026-11-30", 'date = "30/11/2026"'), "« date »", "AAAA-MM-JJ"),
    (lambda t: t.replace('courriel = "accessibilite@valdoise.fr"', 'courriel = "accessibilite"'),
     "« contact.courriel »", "n'est pas une adresse électronique"),
    (lambda t: t.replace('etat = "non conforme"', 'etat = "totalement conforme"'), "« audit »",
     "doit citer son audit"),
])
def test_an_incomplete_statement_stops_the_build_naming_file_line_and_fix(
        build_site, content_copy, change, field, words):
    path = content_copy / "data" / "accessibilite.toml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = [line for line in str(err.value).splitlines() if line.startswith("- ")]
    assert len(lines) == 1, lines
    # A value present but wrong names its line; a missing field, the file only.
    where = ", ligne " if "manquant" not in words else " : "
    assert lines[0].startswith("- content/data/accessibilite.toml" + where), lines[0]
    assert field in lines[0] and words in lines[0] and " ; " in lines[0], lines[0]


def test_a_wrong_value_names_its_own_line(build_site, content_copy):
    path = content_copy / "data" / "accessibilite.toml"
    text = path.read_text(encoding="utf-8").replace('rgaa = "4.1.2"', 'rgaa = "3"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    assert f"accessibilite.toml, ligne {line_of(text, 'rgaa =')} : « rgaa »" in str(err.value)


def test_a_share_contradicting_the_status_is_refused():
    text = DATA.read_text(encoding="utf-8") + (
        '\n[audit]\ndate = 2026-10-01\nauditeur = "X"\ntaux = 40\n').replace("", "")
    text = text.replace('etat = "non conforme"', 'etat = "partiellement conforme"')
    found, problems = statement.parse(text)
    assert found is None
    assert problems == [(line_of(text, "etat ="), "« etat » : un taux de 40 % correspond à "
                         "« non conforme », pas à « partiellement conforme » ; corrigez l'état "
                         "ou le taux")]


def test_a_missing_statement_and_a_broken_file_are_refused(build_site, content_copy):
    path = content_copy / "data" / "accessibilite.toml"
    path.write_text('etat = "non conforme\n', encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    assert "- content/data/accessibilite.toml, ligne 1 : le fichier n'est pas lisible" in str(err.value)
    path.unlink()
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    assert "- content/data/accessibilite.toml : fichier manquant" in str(err.value)


def test_an_old_statement_is_warned_about_naming_its_date(build_site, caplog):
    with caplog.at_level(logging.WARNING):
        build_site(ACCESSIBILITY_TODAY="2029-12-01")
    warnings = [r.getMessage() for r in caplog.records if "à renouveler" in r.getMessage()]
    assert warnings == [
        "content/data/accessibilite.toml : la déclaration d'accessibilité du 30 novembre 2026 "
        "est à renouveler depuis le 30 novembre 2029 : elle a plus de trois ans ; faites un "
        f"nouvel audit sur le RGAA {rgaa.CURRENT} et mettez à jour le fichier"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        build_site(ACCESSIBILITY_TODAY="2029-11-29")
    assert not [r for r in caplog.records if "à renouveler" in r.getMessage()]


def test_a_statement_citing_a_replaced_rgaa_is_due_18_months_after():
    made = dt.date(2022, 6, 1)
    replaced = rgaa.VERSIONS["4.1.1"]
    due = rgaa.add_months(replaced, 18)
    assert rgaa.renew_by(made, "4.1")[0] == due
    assert rgaa.staleness(made, "4.1", due - dt.timedelta(days=1)) is None
    warning = rgaa.staleness(made, "4.1", due)
    assert "du 1 juin 2022" in warning or "du 1er juin 2022" in warning
    assert "remplacé par le RGAA 4.1.1" in warning
    assert rgaa.renew_by(made, rgaa.CURRENT)[0] == dt.date(2025, 6, 1)


from hypothesis import given, strategies as st  # noqa: E402


@given(made=st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)),
       version=st.sampled_from(list(rgaa.VERSIONS)),
       today=st.dates(dt.date(2015, 1, 1), dt.date(2040, 12, 31)))
def test_renewal_is_due_exactly_from_its_limit_never_later_than_three_years(made, version, today):
    limit, _why = rgaa.renew_by(made, version)
    assert limit <= rgaa.add_months(made, 36)
    assert (rgaa.staleness(made, version, today) is None) == (today < limit)
    if version == rgaa.CURRENT:
        assert limit == rgaa.add_months(made, 36)


TOML_VALUES = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                        st.booleans(), st.text(max_size=20), st.dates(),
                        st.lists(st.text(max_size=10), max_size=3))


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


@given(text=st.text(max_size=300))
def test_any_text_gives_problems_never_a_crash(text):
    found, problems = statement.parse(text)
    assert (found is None) == bool(problems)


@given(key=st.sampled_from(["etat", "rgaa", "date", "entite", "derogations", "hors_champ",
                            "schema_pluriannuel"]), value=TOML_VALUES)
def test_any_value_of_a_field_is_accepted_or_refused_with_its_line(key, value):
    text = DATA.read_text(encoding="utf-8")
    line = line_of(text, f"{key} =")
    lines = text.splitlines()
    lines[line - 1] = f"{key} = {toml_value(value)}"
    found, problems = statement.parse("\n".join(lines))
    if found is None:
        assert problems and all(message.startswith(("« ", "le fichier n'est pas lisible"))
                                and " ; " in message for _, message in problems), problems
        assert any(where == line for where, _ in problems), problems
