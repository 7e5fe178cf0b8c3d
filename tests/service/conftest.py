"""Fixtures for the comment service tests (helpers live in comment_testlib.py)."""

from __future__ import annotations

import json

import pytest

from comment_testlib import (BLNS, MANY_THREADS, Clock, WSGIClient, make_config, start_gunicorn,
                             stop_server)
from comment_service.web.app import create_app
from comment_service.config import Config


@pytest.fixture
def config(tmp_path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(config, clock) -> WSGIClient:
    return WSGIClient(create_app(config, clock=clock), config)


@pytest.fixture
def make_client(tmp_path, clock):
    """Build a client with configuration overrides."""

    def build(**overrides) -> WSGIClient:
        cfg = make_config(tmp_path, **overrides)
        return WSGIClient(create_app(cfg, clock=clock), cfg)

    return build


# --- real servers -------------------------------------------------------------

@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = start_gunicorn(tmp_path_factory.mktemp("gunicorn"), threads_extra=MANY_THREADS)
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def ip_factory():
    """Distinct client addresses (sent as X-Forwarded-For to a trusting server)."""
    counter = iter(range(1, 10**6))

    def next_ip() -> str:
        n = next(counter)
        return f"2001:db8:{n:x}::1"  # documentation prefix; one /64 per client

    return next_ip


@pytest.fixture(scope="session")
def blns() -> list[str]:
    """The Big List of Naughty Strings, kept in the repository (tests/data/naughty-strings/)."""
    return json.loads(BLNS.read_text(encoding="utf-8"))
