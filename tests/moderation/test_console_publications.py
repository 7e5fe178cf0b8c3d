"""The console's « Publications » page: the publisher's real journal and list
of what waits, read through the real console (WSGI), logged in only, every
value escaped, damaged lines skipped, valid HTML."""

from __future__ import annotations

from html import unescape

from quality.qualitylib import describe_vnu, run_vnu, vnu  # noqa: F401 (fixture)

from publisher import journal, waiting
from test_console_sessions import Session, make

REPORT = ("1 erreur dans le contenu ; rien n'a été publié :\n- content/articles/a.md, ligne 2 : "
          "champ « date » : date « 12/07/2014 » illisible ; écrivez-la au format AAAA-MM-JJ")


def fill(root, refused_last: bool = True) -> None:
    journal.record(root, "published", "full", release="r1", commit="1" * 40,
                   author="Claire Martin", subject="Premier envoi",
                   files=["content/articles/a.md"], time="2026-12-01T09:00:00+00:00")
    (root / journal.JOURNAL_NAME).open("a").write("{pas du json\n\xff\n")
    journal.record(root, "refused", "push", commit="2" * 40, author="<script>alert(1)</script>",
                   subject="Date <b>fausse</b>", files=["content/articles/a.md"], report=REPORT,
                   time="2026-12-02T10:05:00+00:00")
    if not refused_last:
        journal.record(root, "published", "edit", release="r1", commit="3" * 40,
                       author="Claire Martin", subject="Date corrigée",
                       files=["content/articles/a.md"], time="2026-12-02T10:20:00+00:00")
    waiting.write(root, {"built": "2026-12-02T10:20:00+00:00",
                         "scheduled": [{"title": "Vœux 2027", "path": "content/articles/v.md",
                                        "when": "2027-01-02T09:00:00+01:00"}],
                         "drafts": [{"title": "<i>Brouillon</i>", "path": "content/pages/b.md"}],
                         "expiring": [{"title": "Plan grand froid", "path": "content/articles/f.md",
                                       "when": "2027-03-31T18:00:00+02:00"}]})


def page(tmp_path, refused_last=True):
    root = tmp_path / "site"
    root.mkdir()
    fill(root, refused_last)
    client, _, _ = make(tmp_path, site_root=root)
    s = Session(client)
    anonymous = s.send("GET", "/publications")
    assert anonymous.status == 303 and "/connexion" in anonymous.headers["location"]
    s.login()
    resp = s.send("GET", "/publications")
    assert resp.status == 200
    return resp.text


def test_publications_refusal_journal_and_waiting(tmp_path):
    html = page(tmp_path)
    assert "<h1>Publications du site</h1>" in html
    assert 'aria-current="page">Publications</a>' in html
    refusal = html.split('id="refus"')[1].split('id="recentes"')[0]
    assert "envoi (git push) refusé" in refusal
    assert "ligne 2 : champ « date » : date « 12/07/2014 » illisible" in refusal
    assert "Le site en ligne n'a pas changé depuis ce refus" in unescape(refusal)
    assert "commit 2222222222" in refusal
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Date &lt;b&gt;fausse&lt;/b&gt;" in html
    recent = html.split('id="recentes"')[1].split('id="attente"')[0]
    assert recent.count('<li class="console-item') == 2  # the damaged lines are left out
    assert recent.index("Refusé") < recent.index("Publié")  # newest first
    assert "Premier envoi" in recent and "2 décembre 2026 à 11\u00a0h\u00a005" in recent
    waits = html.split('id="attente"')[1]
    assert "Vœux 2027" in waits and "2 janvier 2027 à 9\u00a0h" in waits
    assert "Plan grand froid" in waits and "31 mars 2027 à 18\u00a0h" in waits
    assert "&lt;i&gt;Brouillon&lt;/i&gt;" in waits


def test_a_refusal_followed_by_a_publication_says_so(tmp_path):
    html = page(tmp_path, refused_last=False)
    refusal = html.split('id="refus"')[1].split('id="recentes"')[0]
    assert "Une publication a réussi depuis, le 2 décembre 2026 à 11\u00a0h\u00a020." in refusal


def test_nothing_yet(tmp_path):
    client, _, _ = make(tmp_path, site_root=tmp_path / "absent")
    s = Session(client)
    s.login()
    html = s.send("GET", "/publications").text
    assert "Aucune publication enregistrée pour l'instant." in unescape(html)
    assert "Aucun refus récent." in html and "Aucun texte programmé." in html


def test_publications_page_is_valid_html(tmp_path, vnu):  # noqa: F811
    folder = tmp_path / "html"
    folder.mkdir()
    (folder / "publications.html").write_text(page(tmp_path), encoding="utf-8")
    errors = run_vnu(vnu, folder)
    assert errors == [], describe_vnu(errors, folder)


def test_preview_access_answers_for_nginx_and_previews_are_listed(tmp_path):
    root = tmp_path / "site"
    (root / "apercu" / "voeux-2027").mkdir(parents=True)
    (root / "apercu" / ".building-x-1").mkdir()
    (root / "apercu" / "Mauvais_Nom").mkdir()
    client, clock, _ = make(tmp_path, site_root=root)
    s = Session(client)
    assert s.send("GET", "/apercu-acces").status == 401
    assert s.send("POST", "/apercu-acces").status in (401, 403, 405)
    s.login()
    access = s.send("GET", "/apercu-acces")
    assert access.status == 204 and access.headers["cache-control"] == "no-store"
    html = s.send("GET", "/publications").text
    assert '<a href="/apercu/voeux-2027/">voeux-2027</a>' in html
    assert "building" not in html and "Mauvais_Nom" not in html
    clock.advance(3601 * 2)  # the session is over: no more preview
    assert s.send("GET", "/apercu-acces").status == 401
