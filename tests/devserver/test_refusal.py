"""devserver/refusal.py at WSGI level: while the publisher's status says
"refused", every page request gets the build's French report (escaped),
other files still come from the last good release."""

from __future__ import annotations

from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from devserver.refusal import RefusalPage
from devserver.static import StaticSite
from publisher import STATUS_FILE

REPORT = ("1 erreur dans le contenu ; rien n'a été publié :\n"
          "- content/articles/a.md, ligne 3 : lien « <script>x</script> » ; corrigez-le")


def call(app, path):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "QUERY_STRING": ""}
    setup_testing_defaults(environ)
    seen = {}

    def start(status, headers, exc_info=None):
        seen["status"] = status
        return lambda data: None

    result = validator(app)(environ, start)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return seen["status"], body.decode("utf-8")


def site(tmp_path):
    release = tmp_path / "releases" / "r1"
    (release / "theme" / "css").mkdir(parents=True)
    (release / "index.html").write_text("<p>accueil</p>", encoding="utf-8")
    (release / "theme" / "css" / "main.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "current").symlink_to(release)
    return RefusalPage(StaticSite(tmp_path / "current"), tmp_path)


def test_pages_show_the_report_while_refused_and_the_site_once_fixed(tmp_path):
    app = site(tmp_path)
    (tmp_path / STATUS_FILE).write_text("refused\n" + REPORT + "\n", encoding="utf-8")
    for path in ("/", "/2014/06/12/un-article/", "/page.html", "/agenda"):
        status, body = call(app, path)
        assert status.startswith("503"), path
        assert "<li>content/articles/a.md, ligne 3 : lien « &lt;script&gt;x&lt;/script&gt; »" in body
        assert "<script>" not in body and 'href="/theme/css/main.css"' in body
    status, body = call(app, "/theme/css/main.css")
    assert status.startswith("200") and body == "body{}"
    (tmp_path / STATUS_FILE).write_text("ok r1\n", encoding="utf-8")
    assert call(app, "/") == ("200 OK", "<p>accueil</p>")


def test_an_unreadable_or_missing_status_serves_the_site(tmp_path):
    app = site(tmp_path)
    assert call(app, "/")[0] == "200 OK"
    (tmp_path / STATUS_FILE).write_bytes(b"refused\n\xff\xfe")
    assert call(app, "/")[0] == "200 OK"
