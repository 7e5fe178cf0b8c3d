"""Issue 21, items 5 and 11 (console): no session row before a login; the
second factor needs the password to be enrolled, its QR code is shown once,
and it can be turned off with the password and a code."""

from __future__ import annotations

import html
import re
import sqlite3

import pyotp

from comment_service.console.accounts import Accounts
from comment_service.console.sessions import SESSIONS_NAME
from test_console_sessions import PASSWORD, Session, make


def _rows(config) -> int:
    path = config.store / SESSIONS_NAME
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM sessions").fetchone()[0]


def test_anonymous_login_pages_insert_no_session_row(tmp_path):
    client, _, config = make(tmp_path)
    for _ in range(20):
        page = Session(client).send("GET", "/connexion")
        assert page.status == 200 and 'name="csrf"' in page.text
    assert _rows(config) == 0
    s = Session(client)
    assert s.login("alice", "wrong password, surely").status == 400  # a failure adds none either
    assert _rows(config) == 0
    assert s.login().status == 303  # the form's token still works
    assert _rows(config) == 1


def test_the_login_form_token_is_tied_to_its_cookie(tmp_path):
    client, _, _ = make(tmp_path)
    one, two = Session(client), Session(client)
    one.send("GET", "/connexion")
    two.send("GET", "/connexion")
    one.token = two.token  # another browser's token
    resp = one.send("POST", "/connexion", {"identifiant": "alice", "mot_de_passe": PASSWORD})
    assert resp.status == 403


def _start(s, password=PASSWORD):
    return s.send("POST", "/double-authentification", {"etape": "commencer", "mot_de_passe": password})


def test_enrolment_asks_for_the_password_again(tmp_path):
    client, clock, config = make(tmp_path)
    s = Session(client)
    s.login()
    stolen = s.send("POST", "/double-authentification", {"etape": "commencer"})  # a stolen session
    assert stolen.status == 400 and "console-secret" not in stolen.text
    assert s.send("GET", "/double-authentification/qr.svg").status == 404
    assert _start(s, "not the password at all").status == 400
    page = _start(s)
    assert page.status == 200
    secret = re.search(r'class="console-secret">([A-Z2-7]+)<', page.text)[1]
    assert s.send("GET", "/double-authentification/qr.svg").status == 200
    assert s.send("GET", "/double-authentification/qr.svg").status == 404  # shown once
    ok = s.send("POST", "/double-authentification",
                {"etape": "confirmer", "code": pyotp.TOTP(secret).at(clock.now)})
    assert ok.status == 303 and Accounts(config.store).get("alice").totp == secret


def test_the_factor_is_turned_off_with_password_and_code(tmp_path):
    client, clock, config = make(tmp_path)
    clock.now = 1_800_000_010.0
    s = Session(client)
    s.login()
    secret = re.search(r'class="console-secret">([A-Z2-7]+)<', _start(s).text)[1]
    totp = pyotp.TOTP(secret)
    s.send("POST", "/double-authentification", {"etape": "confirmer", "code": totp.at(clock.now)})
    assert Accounts(config.store).get("alice").totp == secret
    page = s.send("GET", "/double-authentification")
    assert 'value="desactiver"' in page.text
    clock.advance(30)
    refused = s.send("POST", "/double-authentification",
                     {"etape": "desactiver", "mot_de_passe": PASSWORD, "code": "000000"
                      if totp.at(clock.now) != "000000" else "111111"})
    assert refused.status == 400 and Accounts(config.store).get("alice").totp == secret
    refused = s.send("POST", "/double-authentification",
                     {"etape": "desactiver", "mot_de_passe": "wrong password here", "code": totp.at(clock.now)})
    assert refused.status == 400 and Accounts(config.store).get("alice").totp == secret
    clock.advance(30)
    done = s.send("POST", "/double-authentification",
                  {"etape": "desactiver", "mot_de_passe": PASSWORD, "code": totp.at(clock.now)})
    assert done.status == 303 and Accounts(config.store).get("alice").totp is None
    assert "n'est pas activée" in html.unescape(s.send("GET", "/double-authentification").text)
