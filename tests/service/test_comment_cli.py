"""The moderation command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from comment_service.store import CommentStore

from comment_testlib import ROOT, THREAD

pytestmark = pytest.mark.timeout(60)


def cli(store, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    env.update(COMMENTS_STORE=str(store), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "comment_service", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=30)


@pytest.fixture
def store(tmp_path):
    return tmp_path / "store"


@pytest.fixture
def comments(store):
    s = CommentStore(store)
    a = s.add(THREAD, "Marie", "marie@example.fr", "Premier commentaire\nsur deux lignes")
    b = s.add(THREAD, "Paul", "", "Deuxième")
    c = s.add("autre-article", "Zoé", "", "Ailleurs")
    return a, b, c


def test_list_groups_by_thread_with_text(store, comments):
    a, b, c = comments
    proc = cli(store, "list")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"== {THREAD} (2)" in out and "== autre-article (1)" in out
    assert a.id in out and "Premier commentaire" in out and "sur deux lignes" in out
    assert out.index("== autre-article") < out.index(f"== {THREAD}")
    proc = cli(store, "list", "--thread", "autre-article")
    assert c.id in proc.stdout and a.id not in proc.stdout
    proc = cli(store, "list", "--state", "approved")
    assert proc.returncode == 0 and a.id not in proc.stdout


def test_show(store, comments):
    a = comments[0]
    proc = cli(store, "show", a.id)
    assert proc.returncode == 0
    assert a.id in proc.stdout and "marie@example.fr" in proc.stdout and f"thread: {THREAD}" in proc.stdout


def test_approve_reject_delete(store, comments):
    a, b, c = comments
    proc = cli(store, "approve", a.id)
    assert proc.returncode == 0, proc.stderr
    approved = store / "approved" / THREAD / f"{a.id}.json"
    assert approved.is_file() and not (store / "pending" / THREAD / f"{a.id}.json").exists()
    data = json.loads(approved.read_text(encoding="utf-8"))
    assert data["status"] == "approved" and data["text"] == a.text

    assert cli(store, "reject", b.id).returncode == 0
    assert (store / "rejected" / THREAD / f"{b.id}.json").is_file()
    # A rejected comment can still be approved later (a rename again).
    assert cli(store, "approve", b.id).returncode == 0
    assert (store / "approved" / THREAD / f"{b.id}.json").is_file()
    assert not (store / "rejected" / THREAD / f"{b.id}.json").exists()

    assert cli(store, "delete", c.id).returncode == 0
    assert not list(store.glob(f"*/*/{c.id}.json"))
    assert list((store / "tmp").iterdir()) == []

    proc = cli(store, "list", "--state", "approved")
    assert a.id in proc.stdout and b.id in proc.stdout


@pytest.mark.parametrize("command", ["show", "approve", "reject", "delete"])
def test_not_found_and_invalid_ids_exit_1(store, comments, command):
    proc = cli(store, command, "20200101T000000000000Z-000000000000")
    assert proc.returncode == 1 and "not found" in proc.stderr
    for bad in ("../../etc/passwd", "x", "20200101T000000000000Z-00000000000g", "*"):
        proc = cli(store, command, bad)
        assert proc.returncode == 1 and "invalid comment id" in proc.stderr


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["approve"], ["list", "--state", "nope"]])
def test_usage_errors_exit_2(store, args):
    assert cli(store, *args).returncode == 2


def test_list_on_empty_store(store):
    proc = cli(store, "list")
    assert proc.returncode == 0 and "no pending comments" in proc.stdout


def test_serve_runs_the_development_server(tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    env.update(COMMENTS_STORE=str(tmp_path / "store"), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "comment_service", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/commentaires/sante", timeout=2) as resp:
                    status = resp.status
            except OSError:
                time.sleep(0.1)
        assert status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- damaged files and the tmp/ sweep -------------------------------------------

BROKEN = "20261126T101530000001Z-000000000001"


@pytest.fixture
def damaged(store, comments):
    """Beside the good comments: a malformed file, a non-UTF-8 one, one in the wrong thread."""
    folder = store / "pending" / THREAD
    (folder / f"{BROKEN}.json").write_text("{ pas du json", encoding="utf-8")
    (folder / "20261126T101530000002Z-000000000002.json").write_bytes(b"\xff\xfe\x00")
    moved = json.loads((folder / f"{comments[0].id}.json").read_text(encoding="utf-8"))
    (store / "pending" / "autre-article" / f"{comments[0].id}.json").write_text(json.dumps(moved))
    return [folder / f"{BROKEN}.json", folder / "20261126T101530000002Z-000000000002.json",
            store / "pending" / "autre-article" / f"{comments[0].id}.json"]


def test_list_warns_about_damaged_files_and_lists_the_rest(store, comments, damaged):
    a, b, c = comments
    proc = cli(store, "list")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for path in damaged:
        assert f"warning: damaged comment file skipped: {path}" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == len(damaged), "each reported once"
    assert "not JSON" in proc.stderr and "not UTF-8" in proc.stderr and "is not its folder" in proc.stderr
    assert f"== {THREAD} (2)" in proc.stdout and "== autre-article (1)" in proc.stdout
    assert all(x.id in proc.stdout for x in comments)
    proc = cli(store, "list", "--state", "all", "--thread", THREAD)
    assert proc.returncode == 0 and str(damaged[0]) in proc.stderr and str(damaged[2]) not in proc.stderr


@pytest.mark.parametrize("command", ["show", "approve", "reject", "delete"])
def test_a_damaged_comment_is_refused_with_a_clear_message(store, damaged, command):
    proc = cli(store, command, BROKEN)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert f"comment {BROKEN} is damaged" in proc.stderr and str(damaged[0]) in proc.stderr
    assert "not JSON" in proc.stderr
    assert damaged[0].read_text(encoding="utf-8") == "{ pas du json", "left as it is"


def test_sweep_removes_old_tmp_files_only(store, comments):
    tmp = store / "tmp"
    old, fresh = tmp / "20261126T101530123456Z-0123456789ab.deadbeef.tmp", tmp / "live.tmp"
    for path in (old, fresh):
        path.write_text('{"name": "Marie", "email": "marie@example.fr"}', encoding="utf-8")
    stamp = os.stat(fresh).st_mtime - 2 * 3600
    os.utime(old, (stamp, stamp))
    proc = cli(store, "sweep")
    assert proc.returncode == 0, proc.stderr
    assert f"removed {old}" in proc.stdout and "1 file(s)" in proc.stdout
    assert not old.exists() and fresh.exists()
    proc = cli(store, "sweep")
    assert proc.returncode == 0 and "0 file(s)" in proc.stdout and fresh.exists()
    assert cli(store, "sweep", "--max-age", "5").returncode == 2, "never so young that a live write goes"
    assert cli(store, "sweep", "--max-age", "nan").returncode == 2


def test_sweep_on_a_missing_store(store):
    proc = cli(store, "sweep")
    assert proc.returncode == 0 and "0 file(s)" in proc.stdout
