"""The store's writes and moderation (maildir-style files).

Reading (the read API, damaged files, the tmp/ sweep, round trips) is in
test_comment_store_read.py."""

from __future__ import annotations

import errno
import json
import fcntl
import os
import threading
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from comment_service import __main__ as cli
from comment_service.ops.cliout import EXIT_NOT_FOUND
from comment_service import store as store_module
from comment_service.store import (STATES, CommentStore, DamagedComment, InvalidId, NotFound, StoreError,
                                   is_comment_id, new_id)

from comment_testlib import THREAD, stored_files, tmp_leftovers


def test_add_writes_one_whole_file(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Texte")
    path = tmp_path / "pending" / THREAD / f"{c.id}.json"
    assert json.loads(path.read_bytes()) == {"id": c.id, "thread": THREAD, "name": "Zoé", "email": "",
                                             "text": "Texte", "created_at": c.created_at, "status": "pending"}
    assert tmp_leftovers(tmp_path) == []


def test_ids_are_unique():
    ids = [new_id() for _ in range(5000)]
    assert len(set(ids)) == 5000


def test_ids_sort_in_time_order():
    base = datetime(2026, 12, 31, 23, 59, 59, 999_998, tzinfo=timezone.utc)
    times = [base + timedelta(microseconds=n) for n in (0, 1, 2, 1_000_000, 86_400_000_000)]
    times += [datetime(2009, 1, 1, tzinfo=timezone.utc), datetime(2099, 9, 9, 9, 9, 9, 9, tzinfo=timezone.utc)]
    for _ in range(5):  # the random suffix never decides between two different times
        ids = {t: new_id(t) for t in times}
        assert sorted(ids.values()) == [ids[t] for t in sorted(times)]


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(9999, 1, 1)),
       st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(9999, 1, 1)))
def test_id_order_is_time_order(a, b):
    a, b = a.replace(tzinfo=timezone.utc), b.replace(tzinfo=timezone.utc)
    assume(a != b)
    assert (new_id(a) < new_id(b)) == (a < b)
    assert is_comment_id(new_id(a))


@pytest.mark.parametrize("thread", ["../etc", "a/b", "", "A", "x" * 121, "-a", "a-", "..", THREAD + "\n",
                                    "\n" + THREAD, THREAD + "/"])
def test_never_builds_a_path_from_a_bad_thread(tmp_path, thread):
    with pytest.raises(ValueError):
        CommentStore(tmp_path).add(thread, "n", "", "t")
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize("bad", ["../../x", "20200101T000000000000Z-0000000000", "", "*", "a.json",
                                 "20200101T000000000000Z-000000000000\n", "20200101T000000000000Z-000000000000.json"])
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


def _where(root, comment_id) -> list[str]:
    """The state folders that hold a comment file (should be exactly one)."""
    return [st for st in STATES if list((root / st).glob(f"*/{comment_id}.json"))]


def test_concurrent_approve_and_reject_leave_one_file(tmp_path, monkeypatch):
    """Forced interleaving: the approver has located and read the comment when the rejecter
    runs to completion; then the approver goes on with what it read."""
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "a", "", "A")
    real_from_json = store_module.Comment.from_json.__func__
    rejecter_done = threading.Event()

    def from_json(cls, data):
        comment = real_from_json(cls, data)
        if threading.current_thread().name == "approver" and not rejecter_done.is_set():
            # Give the rejecter its chance. With a moderation lock it cannot run now
            # (it waits for the lock): go on after a short while.
            rejecter_done.wait(0.5)
        return comment

    monkeypatch.setattr(store_module.Comment, "from_json", classmethod(from_json))
    outcomes = {}

    def run(name, state, start_after=None):
        if start_after is not None:
            start_after.wait(10)
        try:
            outcomes[name] = CommentStore(tmp_path).move(c.id, state).status
        except NotFound:
            outcomes[name] = "not found"
        finally:
            if name == "rejecter":
                rejecter_done.set()

    approver_started = threading.Event()
    approver = threading.Thread(target=lambda: (approver_started.set(), run("approver", "approved")),
                                name="approver")
    rejecter = threading.Thread(target=run, args=("rejecter", "rejected", approver_started), name="rejecter")
    approver.start()
    rejecter.start()
    approver.join(10)
    rejecter.join(10)
    assert set(outcomes) == {"approver", "rejecter"}, outcomes
    folders = _where(tmp_path, c.id)
    assert len(folders) == 1, (folders, outcomes)
    assert store.get(c.id).status == folders[0]
    stored = json.loads((tmp_path / folders[0] / THREAD / f"{c.id}.json").read_bytes())
    assert stored["status"] == folders[0]
    assert tmp_leftovers(tmp_path) == []


def test_moderation_waits_for_the_moderation_lock(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "a", "", "A")
    fd = os.open(tmp_path / ".moderation.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another moderator is busy
        mover = threading.Thread(target=store.move, args=(c.id, "approved"))
        mover.start()
        mover.join(0.3)
        assert mover.is_alive() and _where(tmp_path, c.id) == ["pending"]
        fcntl.flock(fd, fcntl.LOCK_UN)
        mover.join(10)
        assert not mover.is_alive() and _where(tmp_path, c.id) == ["approved"]
    finally:
        os.close(fd)


@pytest.mark.parametrize("action", ["move", "delete", "get"])
def test_comment_vanishing_after_locate_is_not_found(tmp_path, monkeypatch, action):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "a", "", "A")
    real_locate = CommentStore.locate

    def locate_then_vanish(self, comment_id):
        found = real_locate(self, comment_id)
        os.unlink(found[2])  # another moderator deleted it meanwhile
        return found

    monkeypatch.setattr(CommentStore, "locate", locate_then_vanish)
    with pytest.raises(NotFound):
        if action == "move":
            store.move(c.id, "approved")
        else:
            getattr(store, action)(c.id)
    assert stored_files(tmp_path) == [] and tmp_leftovers(tmp_path) == []


def test_cli_exits_1_when_the_comment_vanishes_after_locate(tmp_path, monkeypatch, capsys):
    c = CommentStore(tmp_path).add(THREAD, "a", "", "A")
    real_locate = CommentStore.locate

    def locate_then_vanish(self, comment_id):
        found = real_locate(self, comment_id)
        os.unlink(found[2])
        return found

    monkeypatch.setattr(CommentStore, "locate", locate_then_vanish)
    assert cli.main(["--store", str(tmp_path), "approve", c.id]) == EXIT_NOT_FOUND
    assert "comment not found" in capsys.readouterr().err


def test_failed_status_rewrite_leaves_the_comment_where_it_was(tmp_path, monkeypatch):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "a", "", "A")
    real_write = os.write

    def write(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(StoreError):
        store.move(c.id, "approved")
    monkeypatch.setattr(os, "write", real_write)
    assert _where(tmp_path, c.id) == ["pending"] and store.get(c.id).status == "pending"
    assert json.loads((tmp_path / "pending" / THREAD / f"{c.id}.json").read_bytes())["status"] == "pending"
    assert tmp_leftovers(tmp_path) == []


@pytest.mark.parametrize("action", ["approve", "reject", "delete"])
def test_moderation_leaves_a_damaged_comment_as_it_is(tmp_path, action):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "a", "", "A")
    path = tmp_path / "pending" / THREAD / f"{c.id}.json"
    path.write_bytes(b'{"id": "truncated')
    with pytest.raises(DamagedComment) as info:
        if action == "delete":
            store.delete(c.id)
        else:
            store.move(c.id, action + "d" if action == "approve" else "rejected")
    assert info.value.path == path and "not JSON" in info.value.reason
    assert stored_files(tmp_path) == [path] and path.read_bytes() == b'{"id": "truncated'
    assert tmp_leftovers(tmp_path) == []


def test_id_and_created_at_say_the_same_utc_time(tmp_path):
    store = CommentStore(tmp_path)
    paris = timezone(timedelta(hours=2))
    for now in (datetime(2014, 6, 13, 18, 30, 5, 123456, tzinfo=paris), datetime(2014, 6, 13, 16, 30, 5, 123456)):
        c = store.add(THREAD, "a", "", "A", now=now)
        assert c.id.startswith("20140613T163005123456Z-") and c.created_at == "2014-06-13T16:30:05Z"
