"""Sessions end after inactivity and absolutely; the second factor is enrolled
once and then asked at every login; account changes end sessions.
(In-process WSGI with a controllable clock: time is not one of our components.)"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pyotp

from comment_service.web.app import create_app
from comment_service.console.accounts import Accounts
from comment_testlib import Clock, WSGIClient, make_config

CONSOLE = "/commentaires/moderation"
PASSWORD = "correct horse battery staple"
FORM = "application/x-www-form-urlencoded"


class Session:
    def __init__(self, client: WSGIClient):
        self.client, self.cookie, self.token, self.last = client, "", "", None

    def send(self, method, path, fields=None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = urlencode({"csrf": self.token, **(fields or {})}).encode() if method == "POST" else b""
        path, _, query = path.partition("?")
        resp = self.client.request(method, CONSOLE + path, body, headers, query=query,
                                   content_type=FORM if method == "POST" else None)
        if "set-cookie" in resp.headers:
            self.cookie = resp.headers["set-cookie"].split(";")[0]
        match = re.search(r'name="csrf" value="([^"]+)"', resp.text)
        if match:
            self.token = match[1]
        self.last = resp
        return resp

    def login(self, name="alice", password=PASSWORD, code=""):
        self.send("GET", "/connexion")
        resp = self.send("POST", "/connexion", {"identifiant": name, "mot_de_passe": password, "code": code})
        if resp.status == 303:  # the new session's token, as a browser gets it
            self.send("GET", "/")
        return resp


def make(tmp_path, **overrides):
    config = make_config(tmp_path, session_idle=600, session_max=3600, **overrides)
    Accounts(config.store).add("alice", PASSWORD)
    clock = Clock()
    return WSGIClient(create_app(config, clock=clock), config), clock, config


def test_development_cookie_has_no_host_prefix_and_no_secure(tmp_path):
    client, _, _ = make(tmp_path)
    s = Session(client)
    s.login()
    raw = client.request("GET", CONSOLE + "/connexion").headers["set-cookie"]
    assert raw.startswith("moderation=") and "Secure" not in raw
    assert "HttpOnly" in raw and "SameSite=Strict" in raw and f"Path={CONSOLE}/" in raw


def test_idle_and_absolute_expiry(tmp_path):
    client, clock, _ = make(tmp_path)
    s = Session(client)
    assert s.login().status == 303
    clock.advance(599)
    assert s.send("GET", "/").status == 200
    clock.advance(601)  # idle too long
    assert s.send("GET", "/").status == 303
    assert s.login().status == 303
    for _ in range(7):  # active all along, but past the absolute limit
        clock.advance(550)
        last = s.send("GET", "/").status
    assert last == 303


def test_second_factor_is_enrolled_once_then_required(tmp_path):
    client, clock, config = make(tmp_path)
    clock.now = 1_800_000_010.0  # 10 s into a 30 s step: codes are computed at the service's clock
    s = Session(client)
    s.login()
    page = s.send("POST", "/double-authentification", {"etape": "commencer", "mot_de_passe": PASSWORD})
    secret = re.search(r'class="console-secret">([A-Z2-7]+)<', page.text)[1]
    totp = pyotp.TOTP(secret)
    qr = s.send("GET", "/double-authentification/qr.svg")
    assert qr.status == 200 and qr.headers["content-type"] == "image/svg+xml" and b"<svg" in qr.body
    assert s.send("GET", "/double-authentification/qr.svg").status == 404  # shown once
    wrong = "000000" if totp.at(clock.now) != "000000" else "111111"
    assert s.send("POST", "/double-authentification", {"etape": "confirmer", "code": wrong}).status == 400
    ok = s.send("POST", "/double-authentification", {"etape": "confirmer", "code": totp.at(clock.now)})
    assert ok.status == 303 and Accounts(config.store).get("alice").totp == secret
    assert s.send("GET", "/double-authentification/qr.svg").status == 404  # shown once
    assert "est activée" in html.unescape(s.send("GET", "/double-authentification").text)
    fresh = Session(client)
    assert fresh.login().status == 400  # the password alone no longer opens
    assert fresh.login(code=wrong).status == 400
    assert fresh.login(code=totp.at(clock.now)).status == 400  # already used to enrol
    clock.advance(30)
    code = totp.at(clock.now)
    assert fresh.login(code=code).status == 303
    assert Session(client).login(code=code).status == 400  # a code opens one session only
    assert Session(client).login(code=totp.at(clock.now - 90)).status == 400  # too old


def test_removing_an_account_ends_its_sessions(tmp_path):
    client, _, config = make(tmp_path)
    s = Session(client)
    s.login()
    assert s.send("GET", "/").status == 200
    Accounts(config.store).remove("alice")
    assert s.send("GET", "/").status == 303


def test_bad_requests_get_a_console_page_not_a_traceback(tmp_path):
    client, _, _ = make(tmp_path)
    s = Session(client)
    s.login()
    assert s.send("GET", "/nulle-part").status == 404
    assert s.send("GET", "/reponse/pas-un-id").status == 404
    assert s.send("GET", "/reponse/20261126T101530123456Z-0123456789ab").status == 404
    assert s.send("GET", "/actions").status == 405
    resp = client.request("POST", CONSOLE + "/actions", b'{"a": 1}', {"Cookie": s.cookie},
                          content_type="application/json")
    assert resp.status == 415
    assert s.send("POST", "/actions", {"vue": "ailleurs"}).status == 400
    assert s.send("GET", "/?page=abc&fil=%FF").status == 200
