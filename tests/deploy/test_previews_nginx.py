"""Previews behind Debian's nginx (deploy/nginx/site.conf.in): /apercu/ is
served from SITE_ROOT/apercu/ only to a logged-in console user (auth_request
to the real service under gunicorn), never indexed nor cached; others are
sent to the console."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.parse

import pytest

from http.client import HTTPConnection

from deploylib import Answer, UnixHTTPConnection
from support import ROOT

pytestmark = pytest.mark.timeout(300)
CONSOLE = "/commentaires/moderation"
PASSWORD = "correct horse battery staple"


def http(url: str, method: str = "GET", body: bytes | None = None,
         headers: dict | None = None) -> Answer:
    """One request, redirects not followed."""
    parts = urllib.parse.urlsplit(url)
    conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body,
                     headers=headers or {})
        answer = conn.getresponse()
        return Answer(answer.status, answer.headers, answer.read())
    finally:
        conn.close()


def at_service(service, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
    """One request to gunicorn itself: on its Unix socket (the stack's), else its port."""
    if service.socket is None:
        return http(service.base + path, method, body, headers)
    conn = UnixHTTPConnection(service.socket)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        return Answer(answer.status, answer.headers, answer.read())
    finally:
        conn.close()


def login(service, store) -> str:
    """A console session opened at the service itself (nginx closes the console
    to this address): the production cookie, ``__Host-moderation``, Path=/."""
    added = subprocess.run([sys.executable, "-m", "comment_service", "moderators", "add", "alice"],
                           cwd=ROOT, env={**service.env, "COMMENTS_STORE": str(store)},
                           input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    page = at_service(service, "GET", CONSOLE + "/connexion")
    cookie = (page.headers.get("Set-Cookie") or "").split(";")[0]
    token = re.search(r'name="csrf" value="([^"]+)"', page.body.decode())
    fields = {"identifiant": "alice", "mot_de_passe": PASSWORD, "code": ""}
    if token:
        fields["csrf"] = token[1]
    answer = at_service(service, "POST", CONSOLE + "/connexion", urllib.parse.urlencode(fields).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded",
                         **({"Cookie": cookie} if cookie else {})})
    assert answer.status == 303, answer.body[:300]
    session = answer.headers["Set-Cookie"].split(";")[0]
    assert session.startswith("__Host-moderation=")
    return session


@pytest.fixture(scope="module")
def preview(release_root):
    folder = release_root / "apercu" / "essai"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>Aperçu</title><p>Aperçu essai</p>",
                                       encoding="utf-8")
    yield folder
    shutil.rmtree(release_root / "apercu")


def test_a_preview_is_for_logged_in_console_users_only(stack, preview):
    nginx, service, store = stack
    anonymous = http(nginx.base + "/apercu/essai/")
    assert anonymous.status == 303
    assert anonymous.headers["Location"].endswith(CONSOLE + "/publications")
    assert b"Aper" not in anonymous.body
    forged = http(nginx.base + "/apercu/essai/", headers={"Cookie": "__Host-moderation=abc"})
    assert forged.status == 303
    session = login(service, store)
    shown = http(nginx.base + "/apercu/essai/", headers={"Cookie": session})
    assert shown.status == 200 and "Aperçu essai" in shown.body.decode()
    assert shown.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert shown.headers["Cache-Control"] == "private, no-store"
    assert http(nginx.base + "/apercu/absent/", headers={"Cookie": session}).status == 404
    live = http(nginx.base + "/")
    assert live.status == 200 and "X-Robots-Tag" not in live.headers
    # The access check itself is internal to nginx.
    assert http(nginx.base + CONSOLE + "/apercu-acces", headers={"Cookie": session}).status == 404
