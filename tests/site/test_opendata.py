"""Open data of published comments: files, schema, page, feeds (real Pelican build).

The store holds comments in every state, with e-mail addresses and texts that
must never leave it; the files are read back with ``csv`` and ``json`` and
every row is checked against the schema's fields and types.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

from comment_service.store import CommentStore

ARTICLE = "inventer-les-services-publics-de-demain"
ARTICLE_URL = f"/2014/06/12/{ARTICLE}/"
EVENT = "colloque-futurs-composes-2014"
SECRET_EMAIL = "zoe.secret@example.org"
PENDING_TEXT = "Texte en attente jamais publié"
REJECTED_TEXT = "Texte refusé jamais publié"
TRICKY = 'Virgule, "guillemets"\net retour à la ligne ; <b>balise</b> =1+1'
ATOM = "{http://www.w3.org/2005/Atom}"


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2014, 6, day, hour, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = CommentStore(tmp_path_factory.mktemp("opendata") / "store")
    approved = store.add(ARTICLE, "Zoé", SECRET_EMAIL, TRICKY, now=_at(13))
    store.move(approved.id, "approved")
    store.set_reply(approved.id, "Direction de l'innovation", "Merci, c'est noté.", "alice", now=_at(14, 8))
    on_event = store.add(EVENT, "Karim", "", "Très bon colloque.", now=_at(14, 16))
    store.move(on_event.id, "approved")
    store.add(ARTICLE, "Pierre", "pierre.pending@example.org", PENDING_TEXT, now=_at(15))
    rejected = store.add(ARTICLE, "Troll", "troll@example.org", REJECTED_TEXT, now=_at(16))
    store.move(rejected.id, "rejected")
    return store


def _root_conftest(config):
    """tests/conftest.py as loaded by pytest (``import conftest`` may name another one)."""
    wanted = Path(__file__).resolve().parents[1] / "conftest.py"
    return next(p for p in config.pluginmanager.get_plugins()
                if Path(getattr(p, "__file__", "") or "/").resolve() == wanted)


@pytest.fixture(scope="module")
def site(store, tmp_path_factory, request):
    """One real build for the module (the shared build_site fixture is per test)."""
    root = _root_conftest(request.config)
    run_pelican, ROOT = root.run_pelican, root.ROOT
    out = tmp_path_factory.mktemp("opendata-site") / "output"
    return run_pelican(ROOT / "content", out, "pelicanconf.py", COMMENTS_STORE=str(store.root),
                       SEARCH_INDEX=False, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)


def _read(site, name: str) -> bytes:
    return (site.output / "donnees" / name).read_bytes()


def _schema(site) -> dict:
    return json.loads(_read(site, "commentaires.schema.json"))


def _csv_rows(site) -> list[dict]:
    text = _read(site, "commentaires.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _check_value(field: dict, value: str) -> None:
    """One cell against its Table Schema field (types and constraints used by the schema)."""
    constraints = field.get("constraints", {})
    if value == "":
        assert not constraints.get("required"), field["name"]
        return
    if field["type"] == "datetime":
        parsed = datetime.fromisoformat(value)
        assert parsed.tzinfo is not None and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value)
    elif field["type"] != "string":
        raise AssertionError(f"unexpected type {field['type']}")
    if field.get("format") == "uri":
        assert re.fullmatch(r"https?://[^\s]+", value), value
    if "pattern" in constraints:
        assert re.fullmatch(constraints["pattern"], value), value
    if "enum" in constraints:
        assert value in constraints["enum"], value


def test_csv_and_json_match_their_schema(site):
    schema = _schema(site)
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    rows = _csv_rows(site)
    data = json.loads(_read(site, "commentaires.json"))
    assert len(rows) == 2 and data["commentaires"] == rows
    for row in rows:
        assert list(row) == names  # header = schema, in order
        for field in fields:
            _check_value(field, row[field["name"]])
    ids = [r[schema["primaryKey"]] for r in rows]
    assert len(set(ids)) == len(ids)
    kinds = {r["contenu_type"]: r for r in rows}
    assert set(kinds) == {"article", "evenement"}
    article = kinds["article"]
    assert article["texte"] == TRICKY and article["auteur"] == "Zoé"
    assert article["date"] == "2014-06-13T12:30:00+02:00"  # Paris time, with its offset
    assert article["contenu_url"].endswith(ARTICLE_URL)
    reply = (article["reponse_service"], article["reponse_texte"])
    assert reply == ("Direction de l'innovation", "Merci, c'est noté.")
    assert article["reponse_date"] == "2014-06-14T10:30:00+02:00"
    assert kinds["evenement"]["reponse_texte"] == ""  # no reply: empty cells


def test_the_files_state_their_licence(site):
    for document in (_schema(site)["licenses"][0], json.loads(_read(site, "commentaires.json"))["metadata"]["licence"]):
        assert document["name"] == "etalab-2.0"
        assert document["title"] == "Licence Ouverte / Open Licence version 2.0"
    meta = json.loads(_read(site, "commentaires.json"))["metadata"]
    assert meta["mise_a_jour"] == "2014-06-14T18:30:00+02:00"
    assert meta["schema"].endswith("/donnees/commentaires.schema.json")


def test_csv_is_rfc_4180(site):
    raw = _read(site, "commentaires.csv")
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
    header, _, rest = raw.partition(b"\r\n")
    assert header.decode().split(",")[:3] == ["contenu_type", "contenu_titre", "contenu_url"]
    assert b'"Virgule, ""guillemets""\net retour' in rest  # quoted, quotes doubled, line break inside
    assert raw.endswith(b"\r\n")


def test_nothing_unpublished_and_no_email_anywhere(site):
    published = [_read(site, n) for n in ("commentaires.csv", "commentaires.json", "commentaires.schema.json")]
    published.append((site.output / "donnees" / "index.html").read_bytes())
    published += [p.read_bytes() for p in (site.output / "feeds").rglob("commentaires*.atom.xml")]
    published += [p.read_bytes() for p in (site.output / "feeds" / "commentaires").glob("*.xml")]
    for blob in published:
        text = blob.decode("utf-8")
        for secret in (SECRET_EMAIL, "pierre.pending", "troll@", PENDING_TEXT, REJECTED_TEXT, "Troll"):
            assert secret not in text
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text.replace("@context", ""))


def test_the_page_links_the_files_with_size_and_date(site):
    soup = site.soup("/donnees/")
    assert soup.h1.get_text() == "Données ouvertes"
    links = {a["href"]: a.parent.get_text(" ", strip=True) for a in soup.select(".opendata-files a")}
    for name in ("commentaires.csv", "commentaires.json", "commentaires.schema.json"):
        item = links[f"/donnees/{name}"]
        size = len(_read(site, name))
        assert re.search(r"\d+(,\d)?\u00a0(octets|ko|Mo)", item), item
        assert str(size) in item or "ko" in item
    assert soup.find("time")["datetime"].startswith("2014-06-14")
    assert "Licence Ouverte" in soup.get_text()
    assert "/donnees/" in (site.output / "sitemap.xml").read_text(encoding="utf-8")
    footer = site.soup("/").select_one("footer")
    assert footer.find("a", href="/donnees/").get_text() == "Données ouvertes"


def _atom(path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def test_atom_feeds_of_comments(site, store):
    page = site.soup(ARTICLE_URL)
    link = page.find("link", rel="alternate", href=f"/feeds/commentaires/{ARTICLE}.atom.xml")
    assert link is not None and link["type"] == "application/atom+xml"
    per_article = _atom(site.output / "feeds" / "commentaires" / f"{ARTICLE}.atom.xml")
    entries = per_article.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Zoé"
    summary = entries[0].find(f"{ATOM}summary").text
    assert "&lt;b&gt;balise&lt;/b&gt;" in summary and "<b>" not in summary  # escaped for readers
    everything = _atom(site.output / "feeds" / "commentaires.atom.xml")
    titles = [e.find(f"{ATOM}title").text for e in everything.findall(f"{ATOM}entry")]
    assert titles[0].startswith("Karim")  # newest first
    assert len(titles) == 2
    event_page = next(site.output.glob(f"agenda/**/{EVENT}/index.html"), None) or site.path(f"/agenda/{EVENT}/")
    assert f"/feeds/commentaires/{EVENT}.atom.xml" in event_page.read_text(encoding="utf-8")


def test_files_are_replaced_atomically(site):
    leftovers = [p.name for p in (site.output / "donnees").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_names_can_be_left_out_of_the_files(store, build_site):
    site = build_site(COMMENTS_STORE=str(store.root), SEARCH_INDEX=False, OPENDATA_AUTHOR_NAMES=False)
    rows = _csv_rows(site)
    assert rows and all(r["auteur"] == "" for r in rows)
    assert "Zoé" not in _read(site, "commentaires.json").decode("utf-8")
    for field in _schema(site)["fields"]:  # still valid against the schema
        for r in rows:
            _check_value(field, r[field["name"]])


def test_frictionless_validates_the_csv_against_its_schema(site, tmp_path):
    from frictionless import Resource, Schema, validate

    folder = site.output / "donnees"
    schema = Schema.from_descriptor(_schema(site))
    report = validate(Resource(path="commentaires.csv", basepath=str(folder), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    # The validator does check: a French date in the date column is refused.
    broken = tmp_path / "commentaires.csv"
    broken.write_bytes(re.sub(rb"2014-06-13T12:30:00\+02:00", b"13/06/2014", _read(site, "commentaires.csv")))
    assert not validate(Resource(path=broken.name, basepath=str(tmp_path), schema=schema)).valid
