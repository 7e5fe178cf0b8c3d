"""Moderation in the open: the monthly table equals a count over a fixture
store, carries no personal data, and is valid against its Table Schema
(`frictionless validate`, the command line)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from comment_service.accessibility.records import Requests
from comment_service.rules.reasons import REASONS
from comment_service.reports.records import KEPT, UNPUBLISHED, ReportStore
from comment_service.store import CommentStore
from support import ROOT, squash

THREAD = "inventer-les-services-publics-de-demain"
EMAIL = "secret.personne@example.org"
NAME = "Nom Très Privé"
TEXT = "Texte jamais diffusé dans le tableau"
REPORT_TEXT = "Précisions d'un lecteur, jamais diffusées"
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def at(month, day, hour=10):
    return datetime(2026, month, day, hour, 0, tzinfo=timezone.utc)


def _root_conftest(config):
    """tests/conftest.py as loaded by pytest (``import conftest`` may name another one)."""
    wanted = Path(__file__).resolve().parents[1] / "conftest.py"
    return next(p for p in config.pluginmanager.get_plugins()
                if Path(getattr(p, "__file__", "") or "/").resolve() == wanted)


@pytest.fixture(scope="module")
def site(tmp_path_factory, request):
    store = CommentStore(tmp_path_factory.mktemp("stats") / "store")
    # September: 3 received; 2 approved after 2 h and 6 h, 1 rejected (publicité) after 10 h.
    for hours, state, reason in ((2, "approved", None), (6, "approved", None),
                                 (10, "rejected", "publicite")):
        c = store.add(THREAD, NAME, EMAIL, TEXT, now=at(9, 3))
        store.move(c.id, state, reason=reason, now=at(9, 3) + timedelta(hours=hours))
    # Readers' reports on the last one: 3 in September (one kept, one
    # unpublished, one open), 1 in December (a month with no comment).
    reports = ReportStore(store.root)
    for day, outcome in ((4, KEPT), (5, UNPUBLISHED), (6, None)):
        reports.add(THREAD, c.id, "forme", REPORT_TEXT, now=at(9, day))
        if outcome:
            reports.close(c.id, outcome, now=at(9, day, 12))
    reports.add(THREAD, c.id, "publicite", REPORT_TEXT, now=at(12, 1))
    # October: 2 received; one rejected (hors-sujet) after 1 h, one pending.
    c = store.add(THREAD, NAME, EMAIL, TEXT, now=at(10, 31, 21))  # 31 Oct 22:00 in Paris
    store.move(c.id, "rejected", reason="hors-sujet", now=at(10, 31, 22))
    store.add(THREAD, NAME, EMAIL, TEXT, now=at(10, 1))
    # 31 Oct 23:30 UTC is 1 Nov 00:30 in Paris: November.
    store.add(THREAD, NAME, EMAIL, TEXT, now=datetime(2026, 10, 31, 23, 30, tzinfo=timezone.utc))
    # Accessibility requests. September: 3, answered after 2 days, after 8 days, never: 33.3 %.
    # October: 1, answered on the 7th day (in time): 100 %. November: none.
    requests = Requests(store.root)
    for days in (2, 8, None):
        r = requests.add(NAME, EMAIL, "https://exemple.fr/", TEXT, now=at(9, 10))
        if days is not None:
            requests.set_answer(r.id, TEXT, "alice", now=at(9, 10) + timedelta(days=days))
    r = requests.add(NAME, EMAIL, "", TEXT, now=at(10, 5))
    requests.set_answer(r.id, TEXT, "alice", now=at(10, 5) + timedelta(days=7))
    out = tmp_path_factory.mktemp("stats-site") / "output"
    return _root_conftest(request.config).run_pelican(ROOT / "content", out, COMMENTS_STORE=str(store.root), SEARCH_INDEX=False,
                       CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)


def rows(site):
    text = (site.output / "donnees" / "moderation.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_monthly_table_equals_a_count_over_the_store(site):
    table = {r["mois"]: r for r in rows(site)}
    assert list(table) == ["2026-09", "2026-10", "2026-11", "2026-12"]
    sept, octo, nov = table["2026-09"], table["2026-10"], table["2026-11"]
    reports = ("signalements_recus", "signalements_retires", "signalements_maintenus")
    assert tuple(sept[k] for k in reports) == ("3", "1", "1")
    assert tuple(octo[k] for k in reports) == ("0", "0", "0")
    assert tuple(table["2026-12"][k] for k in reports) == ("1", "0", "0")
    assert table["2026-12"]["recus"] == "0" and table["2026-12"]["delai_median_heures"] == ""
    assert (sept["recus"], sept["publies"], sept["en_attente"], sept["refuses"]) == ("3", "2", "0", "1")
    assert sept["refuses_publicite"] == "1" and sept["refuses_hors_sujet"] == "0"
    assert sept["delai_median_heures"] == "6.0"
    assert (octo["recus"], octo["publies"], octo["en_attente"], octo["refuses"]) == ("2", "0", "1", "1")
    assert octo["refuses_hors_sujet"] == "1" and octo["delai_median_heures"] == "1.0"
    assert (nov["recus"], nov["en_attente"], nov["delai_median_heures"]) == ("1", "1", "")
    assert (sept["accessibilite_recues"], sept["accessibilite_repondues_7j_pct"]) == ("3", "33.3")
    assert (octo["accessibilite_recues"], octo["accessibilite_repondues_7j_pct"]) == ("1", "100.0")
    assert (nov["accessibilite_recues"], nov["accessibilite_repondues_7j_pct"]) == ("0", "")
    for row in table.values():
        by_reason = sum(int(row["refuses_" + k.replace("-", "_")]) for k in REASONS)
        assert by_reason + int(row["refuses_autre"]) == int(row["refuses"])


def test_no_personal_data_in_the_table_nor_its_page(site):
    for path in (site.output / "donnees" / "moderation.csv",
                 site.output / "donnees" / "moderation.schema.json",
                 site.output / "donnees" / "moderation" / "index.html"):
        data = path.read_text(encoding="utf-8")
        for secret in (EMAIL, NAME, TEXT, REPORT_TEXT):
            assert secret not in data, (path, secret)


def test_the_page_presents_the_table_and_is_linked(site):
    soup = site.soup("/donnees/moderation/")
    assert squash(soup.h1.get_text()) == "La modération en chiffres"
    body = [[squash(c.get_text()) for c in tr.find_all(["th", "td"])]
            for tr in soup.select(".moderation-table tbody tr")]
    assert body[-1] == ["2026-09", "3", "2", "0", "1", "6,0 h"]
    assert "Publicité, liens commerciaux ou messages répétés : 1" in squash(soup.main.get_text(" "))
    text = squash(soup.main.get_text(" "))
    assert "sous 7 jours" in text and ": 4 au total." in text
    assert "Signalements reçus : 4" in text and "Suivis d'un retrait du commentaire : 1" in text
    assert "Sans suite (commentaire maintenu) : 1" in text
    assert "/donnees/moderation/" in {a["href"] for a in site.soup("/donnees/").main.find_all("a")}
    assert "/donnees/moderation/" in {a["href"] for a in site.soup("/plan-du-site/").main.find_all("a")}
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/donnees/moderation/</loc>" in sitemap


def validate(folder: Path):
    return subprocess.run([str(FRICTIONLESS), "validate", "--schema", "moderation.schema.json",
                           "moderation.csv", "--json"], cwd=folder, capture_output=True, text=True,
                          timeout=120)


def test_frictionless_validate_accepts_the_table_and_refuses_a_broken_one(site, tmp_path):
    folder = site.output / "donnees"
    proc = validate(folder)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert json.loads(proc.stdout)["valid"] is True
    for name in ("moderation.csv", "moderation.schema.json"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    broken = (tmp_path / "moderation.csv").read_text(encoding="utf-8").replace("2026-09,3,", "2026-09,-3,")
    (tmp_path / "moderation.csv").write_text(broken, encoding="utf-8")
    assert validate(tmp_path).returncode != 0, "the validator does check"
