"""The report decision (comment_service/reports/decision.py) on both guard
backends, a real redis-server and SQLite: the first report of an address
needs no captcha, the second does, the rate limit holds, and a report that
could not be stored gives its reservations back."""

from __future__ import annotations

import errno
import os

import pytest

from comment_service.captcha import challenge as captcha
from comment_service.config import RateLimit
from comment_service.guard.redis_backend import RedisGuard
from comment_service.guard.sqlite import Guard
from comment_service.reports import decision
from comment_service.reports.form import read
from comment_service.reports.records import ReportStore
from comment_service.store import CommentStore
from comment_service.web.decision import Deps
from comment_service.web.threads import ThreadIndex
from comment_testlib import SECRET, THREAD, Clock, make_config
from deploylib import Redis

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = Redis(tmp_path_factory.mktemp("redis-reports"))
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "redis"])
def deps(request, redis_server, tmp_path):
    config = make_config(tmp_path, report_rate_limit=RateLimit(2, 600), reports_hide_after=0)
    if request.param == "sqlite":
        guard = Guard(tmp_path / "guard.sqlite3", SECRET)
    else:
        guard = RedisGuard(redis_server.url, SECRET)
        guard._redis.flushdb()
    return Deps(config=config, guard=guard, store=CommentStore(config.store),
                threads=ThreadIndex(config.threads_file), clock=Clock())


def solved(deps, fields):
    challenge = captcha.issue(deps.config.secret, deps.clock())
    return dict(fields, captcha_token=challenge.token,
                captcha_answer=captcha.answer_for(challenge.token, deps.config.secret))


def test_first_free_then_captcha_then_the_limit(deps):
    reports = ReportStore(deps.config.store)
    comment = deps.store.add(THREAD, "Jean", "", "Publié", status="approved")
    first = decision.decide(deps, reports, comment.id, "192.0.2.1", read({"motif": "forme"}))
    assert isinstance(first, decision.Stored)
    second = decision.decide(deps, reports, comment.id, "192.0.2.1", read({"motif": "forme"}))
    assert isinstance(second, decision.Again) and second.captcha and second.status == 400
    third = decision.decide(deps, reports, comment.id, "192.0.2.1", read(solved(deps, {"motif": "forme"})))
    assert isinstance(third, decision.Stored)
    fourth = decision.decide(deps, reports, comment.id, "192.0.2.1", read(solved(deps, {"motif": "forme"})))
    assert isinstance(fourth, decision.Again) and fourth.status == 429 and fourth.retry_after > 0
    other = decision.decide(deps, reports, comment.id, "192.0.2.2", read({"motif": "forme"}))
    assert isinstance(other, decision.Stored)
    assert len(reports.for_comment(comment.id)) == 3


def test_a_refused_write_gives_the_reservations_back(deps, monkeypatch):
    reports = ReportStore(deps.config.store)
    comment = deps.store.add(THREAD, "Jean", "", "Publié", status="approved")

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)  # the disk refuses (the store's own write runs)
    failed = decision.decide(deps, reports, comment.id, "192.0.2.3", read({"motif": "forme"}))
    assert isinstance(failed, decision.Again) and failed.status == 503
    monkeypatch.undo()
    again = decision.decide(deps, reports, comment.id, "192.0.2.3", read({"motif": "forme"}))
    assert isinstance(again, decision.Stored), "still the first report of this address: no captcha"
    assert list((deps.config.store / "tmp").iterdir()) == []  # nothing half-written left
