"""The store (maildir-style files) and the guard (SQLite shared by processes)."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os

import pytest

from comment_service.config import RateLimit
from comment_service.guard import Guard
from comment_service.store import CommentStore, InvalidId, NotFound, StoreError, new_id

from comment_testlib import THREAD, stored_files, tmp_leftovers


def test_add_writes_one_whole_file(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Texte")
    path = tmp_path / "pending" / THREAD / f"{c.id}.json"
    assert json.loads(path.read_bytes()) == {"id": c.id, "thread": THREAD, "name": "Zoé", "email": "",
                                             "text": "Texte", "created_at": c.created_at, "status": "pending"}
    assert tmp_leftovers(tmp_path) == []


def test_ids_are_unique_and_ordered():
    ids = [new_id() for _ in range(5000)]
    assert len(set(ids)) == 5000
    assert sorted(ids, key=lambda i: i[:22]) == sorted(ids, key=lambda i: i[:22])


@pytest.mark.parametrize("thread", ["../etc", "a/b", "", "A", "x" * 121, "-a", "a-", ".."])
def test_never_builds_a_path_from_a_bad_thread(tmp_path, thread):
    with pytest.raises(ValueError):
        CommentStore(tmp_path).add(thread, "n", "", "t")
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize("bad", ["../../x", "20200101T000000000000Z-0000000000", "", "*", "a.json"])
def test_invalid_ids(tmp_path, bad):
    with pytest.raises(InvalidId):
        CommentStore(tmp_path).locate(bad)


@pytest.mark.parametrize("failing,code", [("write", errno.ENOSPC), ("fsync", errno.EIO), ("rename", errno.EROFS),
                                          ("open", errno.EACCES)])
def test_failures_leave_nothing(tmp_path, monkeypatch, failing, code):
    store = CommentStore(tmp_path)
    store.add(THREAD, "a", "", "first")  # folders exist; only the new comment is at stake
    real = getattr(os, failing)

    def fail(*args, **kwargs):
        if failing == "open" and not str(args[0]).endswith(".tmp"):
            return real(*args, **kwargs)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(StoreError) as info:
        store.add(THREAD, "b", "", "second")
    monkeypatch.undo()
    assert info.value.errno == code
    assert len(stored_files(tmp_path)) == 1 and tmp_leftovers(tmp_path) == []


def test_failing_directory_fsync_after_rename_removes_the_file(tmp_path, monkeypatch):
    store = CommentStore(tmp_path)
    store.add(THREAD, "a", "", "first")
    real_fsync = os.fsync
    calls = {"n": 0}

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:  # 1: the file, 2: its folder after the rename
            raise OSError(errno.EIO, "I/O error")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(StoreError):
        store.add(THREAD, "b", "", "second")
    monkeypatch.undo()
    assert len(stored_files(tmp_path)) == 1 and tmp_leftovers(tmp_path) == []


def test_move_list_delete(tmp_path):
    store = CommentStore(tmp_path)
    a = store.add(THREAD, "a", "", "A")
    b = store.add("autre", "b", "", "B")
    assert [c.id for c in store.list()] == [a.id, b.id]
    store.move(a.id, "approved")
    assert [c.id for c in store.list("approved")] == [a.id]
    assert store.get(a.id).status == "approved"
    assert json.loads((tmp_path / "approved" / THREAD / f"{a.id}.json").read_bytes())["status"] == "approved"
    store.delete(b.id)
    with pytest.raises(NotFound):
        store.get(b.id)
    assert [c.id for c in store.list(None)] == [a.id]


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
    guard.refund(decision.rowid)
    assert guard.hit("b", "ip", limit, t + 112).allowed
