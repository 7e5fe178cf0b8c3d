"""The console's doors, over real HTTP (gunicorn, production settings): no page
without a session, login right/wrong/throttled, the cookie's attributes,
CSRF, headers, logout, the console switched off."""

from __future__ import annotations

import html
import re

import pytest

from comment_service.console import texts
from comment_testlib import THREAD, start_gunicorn, stop_server
from consolelib import CONSOLE, PASSWORD, Browser, audit, state_of


def test_nothing_without_a_session(console_server, store, ips):
    comment = store.add(THREAD, "Zoé", "", "Bonjour")
    anonymous = Browser(console_server, ip=ips())
    for path in ("/", "/publies", "/refuses", f"/reponse/{comment.id}", "/double-authentification"):
        page = anonymous.get(path)
        assert page.status == 303 and page.headers["location"] == CONSOLE + "/connexion", path
    page = anonymous.post("/actions", {"vue": "pending", "un": f"approve:{comment.id}"}, csrf="x")
    assert page.status == 403
    assert state_of(console_server.store, comment.id) == ["pending"]
    assert "Zoé" not in anonymous.get("/connexion").body


def test_login_sets_a_strict_host_cookie_and_a_new_session(console_server, ips):
    browser = Browser(console_server, ip=ips())
    login_page = browser.get("/connexion")
    assert login_page.status == 200
    before = browser.cookie
    page = browser.post("/connexion", {"identifiant": "alice", "mot_de_passe": PASSWORD})
    assert page.status == 303 and page.headers["location"] == CONSOLE + "/"
    raw = browser.set_cookies[-1]
    name_value, *attrs = [a.strip() for a in raw.split(";")]
    assert name_value.startswith("__Host-moderation=")
    assert sorted(attrs) == sorted(["Path=/", "Secure", "HttpOnly", "SameSite=Strict"])
    assert browser.cookie != before  # a login starts a new session
    assert len(browser.cookie.split("=", 1)[1]) >= 43  # 32 random bytes
    queue = browser.follow(page)
    assert queue.status == 200 and "Connecté en tant que <bdi>alice</bdi>" in queue.body
    entry = audit(console_server.store)[-1]
    assert (entry["actor"], entry["action"], entry["source"]) == ("alice", "login", "console")
    assert entry["address"] == browser.ip


def test_console_pages_are_not_stored_framed_or_scripted(alice):
    page = alice.get("/")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "script-src" not in csp
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script" not in page.body and "style=" not in page.body and "<style" not in page.body
    css = alice.get("/console.css")
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(console_server, ips):
    answers = []
    for name, password in (("nobody", PASSWORD), ("alice", "wrong password here")):
        browser = Browser(console_server, ip=ips())
        page = browser.login(name, password)
        body = re.sub(r'value="[^"]*"', 'value=""', page.body)
        answers.append((page.status, body, "set-cookie" in page.headers))
        assert texts.LOGIN_FAILED in html.unescape(page.body)
    assert answers[0] == answers[1]
    assert answers[0][0] == 400
    failed = [e for e in audit(console_server.store) if e["action"] == "login-failed"][-2:]
    assert [e["name"] for e in failed] == ["nobody", "alice"]


def test_the_attacker_is_throttled_not_the_account_owner(console_server, ips):
    """Issue 21, item 4: wrong passwords for carol, from one address and from
    many, never keep carol out from her own address; the guessing address is."""
    for _ in range(3):  # successful logins do not count
        assert Browser(console_server, ip=ips()).login("carol").status == 303
    attacker = Browser(console_server, ip="203.0.113.66")
    for _ in range(5):
        assert attacker.login("carol", "not the password!").status == 400
    page = attacker.login("carol")  # the guessing address is throttled, even with the right password
    assert page.status == 429
    assert "Trop de tentatives de connexion" in page.body
    assert "set-cookie" not in page.headers or "moderation=" in page.headers["set-cookie"]
    assert any(e["action"] == "login-throttled" for e in audit(console_server.store))
    for _ in range(3):  # the same guesses from many addresses
        for _ in range(5):
            assert Browser(console_server, ip=ips()).login("carol", "not the password!").status == 400
    owner = Browser(console_server, ip="192.0.2.200")
    assert owner.login("carol").status == 303  # the owner still gets in


def test_login_is_throttled_per_address(console_server):
    browser = Browser(console_server, ip="203.0.113.77")
    statuses = [browser.login(f"inconnu{i}", "whatever password").status for i in range(13)]
    assert statuses[:12] == [400] * 12 and statuses[12] == 429


def test_csrf_refused_without_token_and_with_another_sessions_token(console_server, store, alice, bob):
    comment = store.add(THREAD, "Zoé", "", "Bonjour")
    alice.get("/")
    assert alice.post("/actions", {"vue": "pending", "un": f"approve:{comment.id}"}, csrf=None).status == 403
    bobs_token = bob.get("/").csrf
    page = alice.post("/actions", {"vue": "pending", "un": f"approve:{comment.id}"}, csrf=bobs_token)
    assert page.status == 403 and "Rechargez la page" in page.body
    assert state_of(console_server.store, comment.id) == ["pending"]
    # the login form's own token does not survive the login either
    fresh = Browser(console_server, ip="192.0.2.200")
    token_before_login = fresh.get("/connexion").csrf
    fresh.post("/connexion", {"identifiant": "alice", "mot_de_passe": PASSWORD})
    page = fresh.post("/actions", {"vue": "pending", "un": f"approve:{comment.id}"}, csrf=token_before_login)
    assert page.status == 403
    assert state_of(console_server.store, comment.id) == ["pending"]


def test_logout_ends_the_session(console_server, alice):
    old_cookie = alice.cookie
    alice.get("/")
    page = alice.post("/deconnexion", {})
    assert page.status == 303 and page.headers["location"] == CONSOLE + "/connexion"
    assert texts.LOGGED_OUT in alice.follow(page).body
    alice.cookie = old_cookie
    assert alice.get("/").status == 303
    assert audit(console_server.store)[-1]["action"] == "logout"


def test_the_console_can_be_switched_off(tmp_path):
    server = start_gunicorn(tmp_path / "off", workers=1, env_overrides={"COMMENTS_MODERATION_CONSOLE": "off"})
    try:
        for path in ("/", "/connexion", "/console.css"):
            status, _, _ = server.request("GET", CONSOLE + path)
            assert status == 404, path
        status, _, _ = server.request("GET", "/commentaires/sante")
        assert status == 200
    finally:
        stop_server(server)
