"""The guard: spent captchas and rate limits in SQLite, shared by processes.

(Moved from test_comment_store.py, which is about the comment files.)"""

from __future__ import annotations

import multiprocessing

from comment_service.config import RateLimit
from comment_service.guard.sqlite import Guard


def _spend(args):
    path, nonce = args
    return Guard(path).spend(nonce, 2e9, 1e9)


def test_spend_is_once_across_processes(tmp_path):
    path = tmp_path / "guard.sqlite3"
    Guard(path).spend("warm-up", 2e9, 1e9)
    nonces = [f"nonce-{i}" for i in range(40)]
    jobs = [(path, n) for n in nonces for _ in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_spend, jobs)
    wins = {}
    for (p, nonce), won in zip(jobs, results):
        wins[nonce] = wins.get(nonce, 0) + won
    assert all(count == 1 for count in wins.values()), wins


def _hits(args):
    path, reserve = args
    guard, limit = Guard(path), RateLimit(25, 600)
    count = guard.reserve if reserve else guard.hit
    return sum(count("b", "ip", limit, 1e9 + i / 1000).allowed for i in range(40))


def test_a_limit_is_exact_across_processes(tmp_path):
    """4 processes x 40 hits (then 40 reservations) under a limit of 25: exactly 25 pass."""
    path = tmp_path / "guard.sqlite3"
    Guard(path).spend("warm-up", 2e9, 1e9)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert sum(pool.map(_hits, [(path, False)] * 4)) == 25
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert sum(pool.map(_hits, [(tmp_path / "other.sqlite3", True)] * 4)) == 25


def test_sliding_window(tmp_path):
    guard = Guard(tmp_path / "g.sqlite3")
    limit = RateLimit(3, 100)
    t = 1000.0
    assert guard.hit("b", "ip", limit, t).allowed
    assert guard.hit("b", "ip", limit, t + 10).allowed
    assert guard.hit("b", "ip", limit, t + 20).allowed
    refused = guard.hit("b", "ip", limit, t + 30)
    assert not refused.allowed and refused.retry_after == 70
    assert guard.hit("b", "other", limit, t + 30).allowed
    assert guard.hit("other-bucket", "ip", limit, t + 30).allowed
    assert guard.hit("b", "ip", limit, t + 100.5).allowed  # the first hit left the window
    assert not guard.hit("b", "ip", limit, t + 101).allowed
    decision = guard.hit("b", "ip", limit, t + 111)
    assert decision.allowed
    guard.release(decision.rowid)
    assert guard.hit("b", "ip", limit, t + 112).allowed


# --- minimisation: keyed hashes, never a clear address ---------------------------

DAY = 86400.0
MIDNIGHT = 20_000 * DAY  # a UTC midnight (2024-10-04)


def _raw_bytes(path) -> bytes:
    """The database file and its write-ahead log, as bytes on disk."""
    data = b""
    for candidate in (path, path.with_name(path.name + "-wal")):
        if candidate.exists():
            data += candidate.read_bytes()
    return data


def test_a_window_across_midnight_counts_yesterdays_hits(tmp_path):
    guard = Guard(tmp_path / "g.sqlite3", secret="s" * 40)
    limit = RateLimit(2, 600)
    assert guard.hit("b", "203.0.113.7", limit, MIDNIGHT - 100).allowed
    assert guard.hit("b", "203.0.113.7", limit, MIDNIGHT - 50).allowed
    refused = guard.hit("b", "203.0.113.7", limit, MIDNIGHT + 10)  # a new day, a new key
    assert not refused.allowed and refused.retry_after == 490
    assert guard.hit("b", "203.0.113.7", limit, MIDNIGHT + 500.5).allowed


def test_keys_rotate_daily_and_depend_on_the_secret(tmp_path):
    one = Guard(tmp_path / "a.sqlite3", secret="a" * 40)
    other = Guard(tmp_path / "b.sqlite3", secret="b" * 40)
    today = one.client_key("203.0.113.7", MIDNIGHT + 5)
    assert today == one.client_key("203.0.113.7", MIDNIGHT + DAY - 1)  # one key all day
    assert today != one.client_key("203.0.113.7", MIDNIGHT + DAY)  # another the next day
    assert today != other.client_key("203.0.113.7", MIDNIGHT + 5)
    assert "203.0.113.7" not in today and len(today) == 32


def test_the_database_never_holds_a_clear_address(tmp_path, make_client):
    """Through the real application: captchas, media, posts, a rate limit reached."""
    address = "198.51.100.23"
    client = make_client(rate_limit=RateLimit(1, 600))
    token, _answer = client.captcha(remote_addr=address)
    assert client.request("GET", f"/commentaires/captcha/{token}.png", remote_addr=address).status == 200
    assert client.post_json(data=client.fields(remote_addr=address), remote_addr=address).status == 202
    assert client.post_json(data=client.fields(remote_addr=address), remote_addr=address).status == 429
    ipv6 = "2001:db8:abcd:12::5"
    assert client.post_json(data=client.fields(remote_addr=ipv6), remote_addr=ipv6).status == 202
    path = client.config.store / "guard.sqlite3"
    raw = _raw_bytes(path)
    assert raw  # the guard did write
    for needle in (address, "198.51.100", "2001:db8:abcd:12", "2001:db8:abcd:12::/64"):
        assert needle.encode() not in raw, needle
    # Nor packed as 4 or 16 bytes.
    import ipaddress
    assert ipaddress.ip_address(address).packed not in raw


def test_logs_name_clients_by_hash_unless_turned_on(tmp_path, make_client, caplog):
    address = "198.51.100.23"
    caplog.set_level("INFO", logger="comment_service")
    client = make_client(rate_limit=RateLimit(1, 600))
    client.post_json(data=client.fields(remote_addr=address), remote_addr=address)
    client.post_json(data=client.fields(remote_addr=address), remote_addr=address)
    assert "rate limit comment reached for client-" in caplog.text
    assert address not in caplog.text
    caplog.clear()
    loud = make_client(rate_limit=RateLimit(1, 600), log_client_addresses=True)
    loud.post_json(data=loud.fields(remote_addr="192.0.2.9"), remote_addr="192.0.2.9")
    assert "from 192.0.2.9" in caplog.text


def test_hits_expire_with_their_window(tmp_path):
    path = tmp_path / "g.sqlite3"
    guard = Guard(path)
    guard.hit("b", "ip-one", RateLimit(5, 100), 1000.0)
    guard.reserve("b", "ip-two", RateLimit(5, 600), 1000.0, lease=30)
    import sqlite3
    count = lambda: sqlite3.connect(path).execute("SELECT COUNT(*) FROM hits").fetchone()[0]  # noqa: E731
    assert count() == 2
    assert guard.prune(1031.0) == 1  # the lapsed reservation
    assert count() == 1
    guard.hit("other", "ip-three", RateLimit(5, 100), 1100.0)  # any hit removes expired ones
    assert count() == 1


def test_an_old_database_loses_its_clear_addresses(tmp_path):
    import sqlite3
    path = tmp_path / "guard.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE hits (bucket TEXT NOT NULL, client TEXT NOT NULL, ts REAL NOT NULL)")
    conn.execute("INSERT INTO hits VALUES ('comment', '203.0.113.99', ?)", (MIDNIGHT + 100,))
    conn.commit()
    conn.close()
    guard = Guard(path)
    # The old hit still counts (now under its hash) ...
    assert not guard.reserve("comment", "203.0.113.99", RateLimit(1, 600), MIDNIGHT + 200).allowed
    # ... and the address is nowhere in the files any more.
    assert b"203.0.113.99" not in _raw_bytes(path)


def test_the_log_switch_and_retention_settings_are_read_once():
    import pytest

    from comment_service import defaults
    from comment_service.config import ConfigError, load_config, load_shared

    assert load_config({}).log_client_addresses is defaults.LOG_CLIENT_ADDRESSES is False
    assert load_config({"COMMENTS_LOG_CLIENT_ADDRESSES": "on"}).log_client_addresses is True
    with pytest.raises(ConfigError, match="COMMENTS_LOG_CLIENT_ADDRESSES"):
        load_config({"COMMENTS_LOG_CLIENT_ADDRESSES": "peut-être"})
    shared = load_shared({"COMMENTS_EMAIL_RETENTION_DAYS": "30"})
    assert (shared.email_retention_days, shared.rejected_retention_days, shared.audit_retention_days) == (
        30, defaults.REJECTED_RETENTION_DAYS, defaults.AUDIT_RETENTION_DAYS)
    with pytest.raises(ConfigError, match="COMMENTS_AUDIT_RETENTION_DAYS"):
        load_shared({"COMMENTS_AUDIT_RETENTION_DAYS": "0"})


# --- tallies: the count that spares reading the window ----------------------------

def _tallies_match_hits(path) -> None:
    import sqlite3
    with sqlite3.connect(path) as conn:
        counted = dict(((b, c), n) for b, c, n in conn.execute(
            "SELECT bucket, client, COUNT(*) FROM hits GROUP BY bucket, client"))
        tallied = dict(((b, c), n) for b, c, n in conn.execute("SELECT bucket, client, n FROM tallies"))
    assert tallied == counted


def test_tallies_follow_every_change_of_the_hits(tmp_path):
    """Random hits, reservations, confirmations, releases and prunes: the
    tallies always equal the hits counted, and go with them (no empty row)."""
    import random

    path = tmp_path / "g.sqlite3"
    guard = Guard(path)
    rng = random.Random(12)
    now, rowids = 1_000_000.0, []
    for _ in range(300):
        now += rng.random() * 20
        bucket, client = rng.choice(["comment", "captcha"]), rng.choice(["a", "b", "c"])
        action = rng.random()
        if action < 0.4:
            guard.hit(bucket, client, RateLimit(4, rng.choice([30, 300])), now)
        elif action < 0.7:
            decision = guard.reserve(bucket, client, RateLimit(4, 300), now, lease=rng.choice([5, 60]))
            if decision.allowed:
                rowids.append(decision.rowid)
        elif action < 0.8 and rowids:
            guard.confirm(rowids.pop(rng.randrange(len(rowids))))
        elif action < 0.9 and rowids:
            guard.release(rowids.pop(rng.randrange(len(rowids))))
        elif action < 0.95:
            guard.prune(now)
        _tallies_match_hits(path)
    guard.prune(now + 10_000)
    _tallies_match_hits(path)
    import sqlite3
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM tallies").fetchone()[0] == 0


def test_a_full_tally_still_reads_the_window(tmp_path):
    """Hits kept for a longer window (the setting was shortened since) fill the
    tally but not the window: the window decides."""
    guard = Guard(tmp_path / "g.sqlite3")
    for i in range(3):
        assert guard.hit("b", "ip", RateLimit(3, 600), 1000.0 + i).allowed
    assert not guard.hit("b", "ip", RateLimit(3, 600), 1100.0).allowed
    assert guard.hit("b", "ip", RateLimit(3, 50), 1100.0).allowed  # the old hits are out of a 50 s window
    refused = guard.hit("b", "ip", RateLimit(1, 50), 1110.0)
    assert not refused.allowed and refused.retry_after == 40


def test_a_database_without_tallies_gets_them_filled(tmp_path):
    import sqlite3

    path = tmp_path / "guard.sqlite3"
    guard = Guard(path)
    for i in range(2):
        guard.hit("comment", "ip", RateLimit(5, 600), 1000.0 + i)
    guard._connect().close()
    with sqlite3.connect(path) as conn:  # as the previous version left it
        for trigger in ("hits_tally_add", "hits_tally_remove"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE tallies")
        conn.execute("PRAGMA user_version = 2")
    again = Guard(path)
    assert not again.hit("comment", "ip", RateLimit(2, 600), 1010.0).allowed
    assert again.hit("comment", "ip", RateLimit(3, 600), 1010.0).allowed
    _tallies_match_hits(path)
