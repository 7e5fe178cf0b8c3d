"""Ctrl-C on the development launcher, as a terminal sends it (SIGINT to the
whole foreground group: the launcher and its publisher): exit 0, no
traceback on either stream, one French line; during the first build too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from browserlib import free_port
from support import ROOT

pytestmark = pytest.mark.timeout(300)


def launch(tmp_path):
    port = free_port()
    env = dict(os.environ, COMMENTS_STORE=str(tmp_path / "store"))
    proc = subprocess.Popen([sys.executable, "-m", "devserver", "--port", str(port),
                             "--output", str(tmp_path / "output"), "--cache", str(tmp_path / "cache")],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def ctrl_c(proc) -> tuple[int, str, str]:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail("the launcher did not stop on Ctrl-C:\n" + out + err)
    return proc.returncode, out, err


def serves(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def assert_quiet(code: int, out: str, err: str) -> None:
    assert code == 0, out + err
    for stream in (out, err):
        assert "Traceback" not in stream and "KeyboardInterrupt" not in stream, stream[-3000:]
    assert out.rstrip().splitlines()[-1] == "Arrêté : le site et le service de commentaires ne sont plus servis."


def test_ctrl_c_while_serving(tmp_path):
    proc, base = launch(tmp_path)
    deadline = time.monotonic() + 240
    while not serves(base):
        assert proc.poll() is None and time.monotonic() < deadline, "the launcher did not serve"
        time.sleep(0.3)
    assert_quiet(*ctrl_c(proc))


def test_ctrl_c_during_the_first_build(tmp_path):
    proc, base = launch(tmp_path)
    deadline = time.monotonic() + 60
    while not (tmp_path / "output" / "releases").exists():  # the publisher has started building
        assert proc.poll() is None and time.monotonic() < deadline, "the publisher did not start"
        time.sleep(0.05)
    time.sleep(0.5)
    assert_quiet(*ctrl_c(proc))
    assert not list((tmp_path / "output" / "releases").glob(".building-*"))  # no half build left
