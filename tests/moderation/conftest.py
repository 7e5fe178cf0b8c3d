"""Fixtures for the moderation console: a real gunicorn (two workers, production
settings, console on) with two moderator accounts made by the real CLI."""

from __future__ import annotations

import itertools

import pytest

from comment_service.store import CommentStore
from comment_testlib import start_gunicorn, stop_server
from consolelib import Browser, add_account


@pytest.fixture(scope="module")
def console_server(tmp_path_factory):
    srv = start_gunicorn(tmp_path_factory.mktemp("console"), env_overrides={
        "COMMENTS_LOGIN_RATE_LIMIT": "5/900", "COMMENTS_LOGIN_ADDRESS_RATE_LIMIT": "12/900"})
    add_account(srv.store, "alice")
    add_account(srv.store, "bob")
    add_account(srv.store, "carol")  # the throttling tests lock this one out
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def ips():
    counter = itertools.count(1)
    return lambda: f"198.51.100.{next(counter) % 250 + 1}"


@pytest.fixture
def store(console_server) -> CommentStore:
    return CommentStore(console_server.store)


@pytest.fixture
def alice(console_server, ips) -> Browser:
    browser = Browser(console_server, ip=ips())
    assert browser.login("alice").status == 303
    return browser


@pytest.fixture
def bob(console_server, ips) -> Browser:
    browser = Browser(console_server, ip=ips())
    assert browser.login("bob").status == 303
    return browser
