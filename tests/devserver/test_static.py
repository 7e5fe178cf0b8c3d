"""The development launcher's static side: content types, 404, no path escapes."""

from __future__ import annotations

import io
import sys
from wsgiref.validate import validator

import pytest

from devserver import Mount, StaticSite


def call(app, path, method="GET"):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    result = validator(app)(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return int(seen["status"][:3]), seen["headers"], body


@pytest.fixture
def site(dev_site):
    return StaticSite(dev_site.output)


def test_serves_pages_feeds_and_calendars_with_their_types(site):
    status, headers, body = call(site, "/2014/06/12/inventer-les-services-publics-de-demain/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Inventer les services publics de demain" in body
    assert call(site, "/feeds/all.atom.xml")[1]["Content-Type"].startswith("application/atom+xml")
    assert call(site, "/agenda/agenda.ics")[1]["Content-Type"] == "text/calendar; charset=utf-8"
    assert call(site, "/favicon.ico")[0] == 200


def test_folder_without_slash_redirects_and_unknown_paths_get_the_404_page(site):
    status, headers, _ = call(site, "/archives")
    assert status == 301 and headers["Location"] == "/archives/"
    status, headers, body = call(site, "/nulle-part/")
    assert status == 404 and "Page introuvable".encode() in body


@pytest.mark.parametrize("path", ["/../pelicanconf.py", "/../../../../etc/passwd",
                                  "/theme/../../pelicanconf.py", "/.hidden", "/a\x00b",
                                  "/" + "x" * 5000])
def test_no_path_leaves_the_output_folder(site, path):
    status, _, body = call(site, path)
    assert status == 404
    assert b"AUTHOR" not in body and b"root:" not in body


def test_redirects_stay_on_this_site(site):
    status, headers, _ = call(site, "//archives")
    assert status == 301 and headers["Location"] == "/archives/"


def test_only_get_and_head(site):
    assert call(site, "/", "POST")[0] == 405
    status, _, body = call(site, "/", "HEAD")
    assert status == 200 and body == b""


def test_mount_sends_the_prefix_to_the_service_and_the_rest_to_the_site(site):
    def service(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [f"{environ['SCRIPT_NAME']}|{environ['PATH_INFO']}".encode()]

    app = Mount("/commentaires", service, site)
    assert call(app, "/commentaires/captcha")[2] == b"/commentaires|/captcha"
    assert call(app, "/commentairesX/")[0] == 404
    assert b"<!DOCTYPE html>" in call(app, "/")[2]


def test_a_switched_link_is_served_at_once(tmp_path):
    """The publisher switches `current`; the next request reads the new release."""
    for name, text in (("one", "première"), ("two", "seconde")):
        (tmp_path / "releases" / name).mkdir(parents=True)
        (tmp_path / "releases" / name / "index.html").write_text(text, encoding="utf-8")
    (tmp_path / "current").symlink_to("releases/one")
    site = StaticSite(tmp_path / "current")
    assert call(site, "/")[2] == "première".encode()
    (tmp_path / "next").symlink_to("releases/two")
    (tmp_path / "next").replace(tmp_path / "current")
    assert call(site, "/")[2] == "seconde".encode()
    assert call(site, "/../releases/one/")[0] == 404


def test_a_withdrawn_content_answers_410_as_nginx_does(tmp_path):
    """plugins/expiry's markers (.gone/<output path>.410): 410 with the site's page."""
    (tmp_path / "404.html").write_text("<h1>Page introuvable</h1>", encoding="utf-8")
    (tmp_path / "410.html").write_text("<h1>Page retirée</h1>", encoding="utf-8")
    marker = tmp_path / ".gone" / "2014" / "07" / "08" / "travaux" / "index.html.410"
    marker.parent.mkdir(parents=True)
    marker.touch()
    (tmp_path / ".gone" / "fiche.html.410").touch()
    site = StaticSite(tmp_path)
    for path in ("/2014/07/08/travaux/", "/2014/07/08/travaux", "/fiche.html"):
        status, headers, body = call(site, path)
        assert status == 410 and "Page retirée" in body.decode(), path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    for path in ("/2014/07/08/", "/.gone/fiche.html.410", "/../.gone/fiche.html", "/fiche"):
        assert call(site, path)[0] == 404, path
