"""The launcher's security headers (devserver.static) and the production
nginx example (docs/publishing.md) send one and the same policy."""

from __future__ import annotations

import re
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from devserver import CONTENT_SECURITY_POLICY, Mount, SecurityHeaders, StaticSite
from support import ROOT


def call(app, path="/"):
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "QUERY_STRING": ""}
    setup_testing_defaults(environ)
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, dict(headers)
        return lambda data: None

    result = validator(app)(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        result.close()
    return captured["status"], captured["headers"], body


def service(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Security-Policy", "default-src 'none'")])
    return [b"service"]


def test_every_answer_gets_the_policy_unless_it_has_its_own(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    app = SecurityHeaders(Mount("/commentaires", service, StaticSite(tmp_path)))
    for path in ("/", "/absent/"):
        _status, headers, _body = call(app, path)
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
    _status, headers, body = call(app, "/commentaires/x")
    assert body == b"service" and headers["Content-Security-Policy"] == "default-src 'none'"


def test_the_policy_forbids_inline_code_and_other_origins():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    others = {k: v for k, v in directives.items() if k != "frame-src"}
    assert not re.search(r"https?:|\*", "; ".join(others.values()))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"


def test_frames_come_only_from_the_video_players_of_the_one_list():
    from sitekit.embeds import PEERTUBE_INSTANCES, PLATFORMS

    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    hosts = directives["frame-src"].split()
    assert hosts == [f"https://{p.frame_host}" for p in PLATFORMS] + \
        [f"https://{h}" for h in PEERTUBE_INSTANCES]
    assert "https://www.youtube-nocookie.com" in hosts
    assert not any("youtube.com" in h.replace("youtube-nocookie.com", "") for h in hosts)


def test_the_nginx_example_sends_the_same_policy():
    doc = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{CONTENT_SECURITY_POLICY}" always;' in doc


def test_the_publisher_watches_what_the_build_reads():
    from publisher.watch import DEV_CODE, DEV_SOURCES

    watched = (*DEV_SOURCES, *DEV_CODE)
    assert "comment_service/form" in watched and "plugins" in watched
    assert all((ROOT / path).exists() for path in watched)
