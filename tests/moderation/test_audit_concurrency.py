"""Issue 21, item 3: no audit entry is lost when ``personal-data purge`` or
``erase`` rewrites audit.jsonl while others append (threads and processes)."""

from __future__ import annotations

import multiprocessing
import threading

from comment_service.ops.audit import AuditLog
from comment_service.ops.personal_data import rewrite_audit
from comment_service.store import CommentStore

PER_WORKER = 150


def _append_many(root: str, worker: str, count: int = PER_WORKER) -> None:
    log = AuditLog(root)
    for i in range(count):
        log.append("alice", "approve", source="test", tag=f"{worker}-{i}")


def _rewrite_until(store: CommentStore, done) -> int:
    rewrites = 0
    while not done():
        # A transform that changes every entry: each call really rewrites the file.
        rewrites += bool(rewrite_audit(store, lambda e: {**e, "seen": e.get("seen", 0) + 1}))
    return rewrites


def _tags(root) -> list[str]:
    return [e["tag"] for e in AuditLog(root).entries() if "tag" in e]


def test_no_append_lost_during_rewrites_threads(tmp_path):
    store = CommentStore(tmp_path / "store")
    AuditLog(store.root).append("system", "start", tag="start")
    workers = [threading.Thread(target=_append_many, args=(str(store.root), f"t{n}")) for n in range(4)]
    for w in workers:
        w.start()
    rewrites = _rewrite_until(store, lambda: not any(w.is_alive() for w in workers))
    for w in workers:
        w.join()
    tags = _tags(store.root)
    expected = {"start"} | {f"t{n}-{i}" for n in range(4) for i in range(PER_WORKER)}
    assert rewrites > 0
    assert len(expected - set(tags)) == 0, f"{len(expected - set(tags))} lost over {rewrites} rewrites"
    assert len(tags) == len(set(tags))


def test_no_append_lost_during_rewrites_processes(tmp_path):
    store = CommentStore(tmp_path / "store")
    AuditLog(store.root).append("system", "start", tag="start")
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_append_many, args=(str(store.root), f"p{n}")) for n in range(3)]
    for w in workers:
        w.start()
    rewrites = _rewrite_until(store, lambda: not any(w.is_alive() for w in workers))
    for w in workers:
        w.join()
        assert w.exitcode == 0
    tags = _tags(store.root)
    expected = {"start"} | {f"p{n}-{i}" for n in range(3) for i in range(PER_WORKER)}
    assert rewrites > 0
    assert len(expected - set(tags)) == 0, f"{len(expected - set(tags))} lost over {rewrites} rewrites"
    assert len(tags) == len(set(tags))
