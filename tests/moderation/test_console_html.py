"""Every console page passes the Nu HTML Checker (vnu) with no error."""

from __future__ import annotations

from quality.qualitylib import describe_vnu, run_vnu, vnu  # noqa: F401 (fixture)

from comment_testlib import THREAD
from comment_service.console.accounts import Accounts
from comment_service.store import CommentStore
from test_console_sessions import PASSWORD, Session, make


def test_console_pages_are_valid_html(tmp_path, vnu):  # noqa: F811
    client, _, config = make(tmp_path)
    store = CommentStore(config.store)
    waiting = store.add(THREAD, "Zoé <b>", "zoe@example.org", "Texte\nwww.exemple.com", signals=["lien"])
    done = store.add(THREAD, "Marc", "", "Publié")
    store.move(done.id, "approved")
    store.set_reply(done.id, "Direction des routes", "Réponse", "alice")
    refused = store.add(THREAD, "Rita", "", "Refusé")
    store.move(refused.id, "rejected", reason="forme")
    pages = {}
    s = Session(client)
    pages["login"] = s.send("GET", "/connexion").text
    pages["login-error"] = s.send("POST", "/connexion", {"identifiant": "x", "mot_de_passe": "y"}).text
    s.login()
    pages["queue"] = s.send("GET", "/").text
    pages["published"] = s.send("GET", "/publies").text
    pages["rejected"] = s.send("GET", "/refuses").text
    pages["empty"] = s.send("GET", "/?q=introuvable").text
    pages["confirm"] = s.send("POST", "/actions", {"vue": "pending", "un": f"delete:{waiting.id}"}).text
    pages["reply"] = s.send("GET", f"/reponse/{done.id}").text
    pages["reply-error"] = s.send("POST", f"/reponse/{done.id}", {"service": "", "texte": ""}).text
    pages["totp"] = s.send("GET", "/double-authentification").text
    pages["totp-scan"] = s.send("POST", "/double-authentification",
                               {"etape": "commencer", "mot_de_passe": PASSWORD}).text
    pages["totp-password-error"] = s.send("POST", "/double-authentification",
                                          {"etape": "commencer", "mot_de_passe": "pas le bon"}).text
    Accounts(config.store).set_totp("alice", "JBSWY3DPEHPK3PXPJBSWY3DP")
    pages["totp-on"] = s.send("GET", "/double-authentification").text
    pages["totp-off-error"] = s.send("POST", "/double-authentification",
                                     {"etape": "desactiver", "mot_de_passe": "x", "code": "1"}).text
    pages["not-found"] = s.send("GET", "/nulle-part").text
    folder = tmp_path / "html"
    folder.mkdir()
    for name, text in pages.items():
        assert "<html" in text, name
        (folder / f"{name}.html").write_text(text, encoding="utf-8")
    errors = run_vnu(vnu, folder)
    assert errors == [], describe_vnu(errors, folder)


def test_no_console_template_disables_escaping():
    import re
    from pathlib import Path

    import comment_service

    folder = Path(comment_service.__file__).parent / "templates" / "console"
    templates = sorted(folder.glob("*.html"))
    assert len(templates) >= 8
    for path in templates:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", text), path.name
        assert "<script" not in text and "style=" not in text, path.name
