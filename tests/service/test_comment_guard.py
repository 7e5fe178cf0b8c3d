"""The guard: spent captchas and rate limits in SQLite, shared by processes.

(Moved from test_comment_store.py, which is about the comment files.)"""

from __future__ import annotations

import multiprocessing

from comment_service.config import RateLimit
from comment_service.guard import Guard


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
