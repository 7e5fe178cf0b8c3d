"""`python -m comment_service backup DEST` / `restore SRC`: a consistent copy
taken while comments arrive and moderators act, checked before it is put back."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from comment_service.ops import backup
from comment_service.guard.sqlite import Guard
from comment_service.store import CommentStore
from support import ROOT

pytestmark = pytest.mark.timeout(120)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "comment_service", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def filled_store(root):
    store = CommentStore(root)
    ids = [store.add("fil-un", f"Nom {i}", "", f"Texte {i}").id for i in range(20)]
    store.move(ids[0], "approved")
    store.move(ids[1], "rejected")
    store.set_reply(ids[0], "Direction des routes", "Merci.", "alice")
    (root / "moderators.json").write_text('{"version": 1, "accounts": {}}', encoding="utf-8")
    (root / "audit.jsonl").write_bytes(b'{"a": 1}\n{"half')
    now = time.time()
    Guard(root / "guard.sqlite3").spend("ab" * 12, now + 600, now)
    return store, ids


def test_a_backup_while_the_store_changes_is_whole_and_restores(tmp_path):
    root = tmp_path / "store"
    store, ids = filled_store(root)
    stop = threading.Event()

    def busy():
        i = 0
        while not stop.is_set():
            comment = store.add("fil-deux", "Zoé", "", f"pendant {i}")
            store.move(comment.id, "approved")
            store.move(ids[2 + i % 10], ("approved", "pending")[i % 2])
            i += 1

    worker = threading.Thread(target=busy)
    worker.start()
    try:
        result = cli("--store", str(root), "backup", str(tmp_path / "copy"))
    finally:
        stop.set()
        worker.join()
    assert result.returncode == 0, result.stderr
    copy = tmp_path / "copy"
    assert backup.check(copy) == []
    copied = list(CommentStore(copy).iter_comments())
    assert len({c.id for c in copied}) == len(copied)  # never one comment in two folders
    assert set(ids) <= {c.id for c in copied}
    assert (copy / "audit.jsonl").read_bytes() == b'{"a": 1}\n'  # whole lines only
    with sqlite3.connect(copy / "guard.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM spent").fetchone()[0] == 1
    assert json.loads((copy / "backup.json").read_text())["files"] == len(copied) + 1  # + the reply

    target = tmp_path / "restored"
    result = cli("--store", str(target), "restore", str(copy))
    assert result.returncode == 0, result.stderr
    assert {c.id for c in CommentStore(target).iter_comments()} == {c.id for c in copied}
    assert CommentStore(target).reply_for(ids[0]).text == "Merci."
    assert not (target / "backup.json").exists()


def test_restore_refuses_a_damaged_copy_and_a_non_empty_store(tmp_path):
    root = tmp_path / "store"
    filled_store(root)
    copy = tmp_path / "copy"
    backup.backup(root, copy)
    result = cli("--store", str(root), "restore", str(copy))
    assert result.returncode == 1 and "n'est pas vide" in result.stderr and "--force" in result.stderr

    damaged = next((copy / "pending" / "fil-un").glob("*.json"))
    damaged.write_text('{"id": "x"', encoding="utf-8")
    result = cli("--store", str(tmp_path / "new"), "restore", str(copy))
    assert result.returncode == 1 and str(damaged) in result.stderr
    assert not (tmp_path / "new").exists()  # nothing was put in place


def test_restore_force_keeps_the_previous_store(tmp_path):
    root = tmp_path / "store"
    filled_store(root)
    copy = tmp_path / "copy"
    backup.backup(root, copy)
    CommentStore(root).add("fil-trois", "Après", "", "après la copie")
    result = cli("--store", str(root), "restore", "--force", str(copy))
    assert result.returncode == 0, result.stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("store.before-restore-")]
    assert len(kept) == 1 and (kept[0] / "pending" / "fil-trois").is_dir()
    assert not (root / "pending" / "fil-trois").exists()


def test_backup_refuses_a_non_empty_destination(tmp_path):
    filled_store(tmp_path / "store")
    (tmp_path / "dest").mkdir()
    (tmp_path / "dest" / "x").write_text("x")
    result = cli("--store", str(tmp_path / "store"), "backup", str(tmp_path / "dest"))
    assert result.returncode == 1 and "n'est pas vide" in result.stderr
