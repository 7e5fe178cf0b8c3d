"""Issue 21, item 2: cells that a spreadsheet would run as a formula are
neutralised in the CSV (OWASP "CSV injection": a leading apostrophe), the JSON
keeps the exact text, the schema and the /donnees/ page say so (real build)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from comment_service.store import CommentStore
from plugins.opendata import table

ARTICLE = "inventer-les-services-publics-de-demain"
HOSTILE = {  # name -> text, each starting with a character a spreadsheet reads as a formula
    "=HYPERLINK(\"http://x\")": "=1+1",
    "+33 Lucie": "+SUM(A1:A9)",
    "-Paul": "-2+3",
    "@Marc": "@SUM(1)",
    "Tab": "\t=cmd|' /C calc'!A0",
    "Cr": "\r=1+2",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory, request):
    store = CommentStore(tmp_path_factory.mktemp("formulas") / "store")
    for n, (name, text) in enumerate(HOSTILE.items()):
        c = store.add(ARTICLE, name, "", text, now=datetime(2014, 6, 13, 10, n, tzinfo=timezone.utc))
        store.move(c.id, "approved")
        if n == 0:
            store.set_reply(c.id, "=Service", "-Réponse", "alice",
                            now=datetime(2014, 6, 14, 8, tzinfo=timezone.utc))
    wanted = Path(__file__).resolve().parents[1] / "conftest.py"
    root = next(p for p in request.config.pluginmanager.get_plugins()
                if Path(getattr(p, "__file__", "") or "/").resolve() == wanted)
    out = tmp_path_factory.mktemp("formulas-site") / "output"
    return root.run_pelican(root.ROOT / "content", out, "pelicanconf.py", COMMENTS_STORE=str(store.root),
                            SEARCH_INDEX=False, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)


def _csv(site) -> list[dict]:
    text = (site.output / "donnees" / "commentaires.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_cells_never_start_a_formula(site):
    rows = _csv(site)
    assert len(rows) == len(HOSTILE)
    for r in rows:
        for column, value in r.items():
            assert not value or value[0] not in table.FORMULA_START, (column, value)
    by_text = {r["texte"]: r for r in rows}
    for name, text in HOSTILE.items():
        shown = name if name[0].isalpha() else "'" + name
        assert by_text["'" + text]["auteur"] == shown
    by_name = {r["auteur"]: r for r in rows}
    replied = by_name["'" + next(iter(HOSTILE))]
    assert (replied["reponse_service"], replied["reponse_texte"]) == ("'=Service", "'-Réponse")


def test_json_keeps_the_exact_text(site):
    data = json.loads((site.output / "donnees" / "commentaires.json").read_text(encoding="utf-8"))
    assert {(c["auteur"], c["texte"]) for c in data["commentaires"]} == set(HOSTILE.items())


def test_schema_and_page_say_so(site):
    schema = json.loads((site.output / "donnees" / "commentaires.schema.json").read_text(encoding="utf-8"))
    assert "apostrophe" in schema["description"]
    page = (site.output / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "apostrophe" in page and "formule" in page


def test_frictionless_still_validates(site):
    from frictionless import Resource, Schema, validate

    folder = site.output / "donnees"
    schema = Schema.from_descriptor(json.loads((folder / "commentaires.schema.json").read_text(encoding="utf-8")))
    report = validate(Resource(path="commentaires.csv", basepath=str(folder), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
