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
