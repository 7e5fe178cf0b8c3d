"""The Redis/Valkey guard against a real redis-server: the same semantics as
the SQLite guard, spent captchas that stay spent across a Redis restart, and
GuardError (never a silent yes) while Redis is down."""

from __future__ import annotations

import time

import pytest

from comment_service.config import RateLimit, load_config
from comment_service.guard.sqlite import Guard, GuardError, open_guard
from comment_service.guard.base import Answered
from comment_service.guard.redis_backend import RedisGuard
from deploylib import Redis

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = Redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def guard(redis_server):
    guard = RedisGuard(redis_server.url, "guard-secret-0123456789abcdef0123456789")
    guard._redis.flushdb()
    return guard


@pytest.fixture(params=["sqlite", "redis"])
def either(request, redis_server, tmp_path):
    """Each backend in turn: the same behaviour is asked of both."""
    if request.param == "sqlite":
        return Guard(tmp_path / "guard.sqlite3", "guard-secret-0123456789abcdef0123456789")
    return request.getfixturevalue("guard")


def test_open_guard_follows_the_setting(redis_server, tmp_path):
    assert isinstance(open_guard(load_config({"COMMENTS_STORE": str(tmp_path)})), Guard)
    assert isinstance(open_guard(load_config({"COMMENTS_GUARD_URL": redis_server.url})), RedisGuard)


def test_a_captcha_is_spent_once(either):
    now = time.time()
    assert either.spend("ab" * 12, now + 600, now, issued=now) is True
    assert either.spend("ab" * 12, now + 600, now, issued=now) is False
    assert either.spend("cd" * 12, now + 600, now, issued=now) is True


def test_the_sliding_window(either):
    limit, now = RateLimit(3, 10), time.time()
    assert [either.hit("comment", "192.0.2.1", limit, now + i).allowed for i in range(3)] == [True] * 3
    refused = either.hit("comment", "192.0.2.1", limit, now + 3)
    assert not refused.allowed and refused.retry_after == 7
    assert either.hit("comment", "192.0.2.2", limit, now + 3).allowed  # another client
    assert either.hit("comment", "192.0.2.1", limit, now + 10.5).allowed  # the first hit left


def test_reservations_confirm_release_and_lapse(either):
    limit, now = RateLimit(2, 600), time.time()
    first = either.reserve("comment", "198.51.100.7", limit, now, lease=5)
    second = either.reserve("comment", "198.51.100.7", limit, now + 1, lease=5)
    assert first.allowed and second.allowed
    assert not either.reserve("comment", "198.51.100.7", limit, now + 2, lease=5).allowed
    either.release(second.rowid)  # the store failed: the place is free again
    third = either.reserve("comment", "198.51.100.7", limit, now + 2, lease=5)
    assert third.allowed
    either.confirm(first.rowid)  # stored: counts for the whole window
    # The unconfirmed third lapses with its lease; the confirmed first stays.
    assert either.reserve("comment", "198.51.100.7", limit, now + 10, lease=5).allowed
    assert not either.reserve("comment", "198.51.100.7", limit, now + 11, lease=5).allowed


def test_submissions_are_remembered(either):
    now = time.time()
    assert either.recall("fil", "s" * 20, now) is None
    either.remember("fil", "s" * 20, Answered("20261201T101010000000Z-0123456789ab", "pending"), now)
    either.remember("fil", "s" * 20, Answered("20261201T101011000000Z-0123456789ab", "pending"), now)
    assert either.recall("fil", "s" * 20, now) == Answered("20261201T101010000000Z-0123456789ab", "pending")


def test_no_client_address_is_stored(guard):
    guard.hit("captcha", "203.0.113.99", RateLimit(5, 60), time.time())
    keys = [k.decode() for k in guard._redis.keys("*")]
    assert keys and not any("203.0.113.99" in k for k in keys)
    assert all("203.0.113.99" not in str(guard._redis.zrange(k, 0, -1)) for k in keys if ":hits:" in k)


def test_a_restart_does_not_make_spent_captchas_valid_again(redis_server, guard):
    issued = time.time() - 0.5
    assert guard.spend("ef" * 12, issued + 600, time.time(), issued=issued)
    redis_server.stop()  # killed: everything in memory is lost
    redis_server.start()
    assert guard.spend("ef" * 12, issued + 600, time.time(), issued=issued) is False
    # A token issued after the restart is taken (the fixture waited 3 s).
    fresh = time.time()
    assert guard.spend("12" * 12, fresh + 600, fresh, issued=fresh) is True


def test_redis_down_is_an_error_then_it_recovers(redis_server, guard):
    redis_server.stop()
    now = time.time()
    try:
        with pytest.raises(GuardError):
            guard.spend("34" * 12, now + 600, now, issued=now)
        with pytest.raises(GuardError):
            guard.hit("comment", "192.0.2.1", RateLimit(5, 600), now)
        with pytest.raises(GuardError):
            guard.recall("fil", "s" * 20, now)
        guard.release("a|b|c")  # never raises
    finally:
        redis_server.start()
    assert guard.hit("comment", "192.0.2.1", RateLimit(5, 600), time.time()).allowed


def test_admit_recalls_spends_and_reserves_in_one_step(either):
    from comment_service.guard.base import Entry

    limit, now = RateLimit(2, 600), time.time()
    post = Entry(now, "fil", submission="s" * 20, nonce="ab" * 12, nonce_expires=now + 600, issued=now,
                 client="192.0.2.8", limit=limit, lease=30)
    first = either.admit(post)
    assert first.answered is None and first.spent is True and first.reservation.allowed
    again = either.admit(post)  # the same token again: nothing reserved
    assert again.spent is False and again.reservation is None
    either.settle(first.reservation.rowid, "fil", "s" * 20, Answered("20261201T101010000000Z-0123456789ab",
                                                                     "pending"), now)
    replay = either.admit(post)  # the same submission: its answer, the token not looked at
    assert replay.answered == Answered("20261201T101010000000Z-0123456789ab", "pending")
    assert replay.spent is None and replay.reservation is None
    # Without a token or a submission id: the reservation alone.
    second = either.admit(Entry(now + 1, "fil", client="192.0.2.8", limit=limit, lease=30))
    assert second.spent is None and second.reservation.allowed
    full = either.admit(Entry(now + 2, "fil", nonce="cd" * 12, nonce_expires=now + 600, issued=now,
                              client="192.0.2.8", limit=limit, lease=30))
    assert full.spent is True and not full.reservation.allowed and full.reservation.retry_after == 598
    # The settled first counts for its window; the unsettled second lapses with its lease.
    later = either.admit(Entry(now + 40, "fil", client="192.0.2.8", limit=limit, lease=30))
    assert later.reservation.allowed
    assert not either.admit(Entry(now + 41, "fil", client="192.0.2.8", limit=limit, lease=30)).reservation.allowed
    # A spend alone, no hit asked.
    assert either.admit(Entry(now, "fil", nonce="ef" * 12, nonce_expires=now + 600, issued=now)).spent is True
