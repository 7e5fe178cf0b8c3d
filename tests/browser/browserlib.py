"""Helpers of the real-browser tests, importable by name (`from browserlib import
running_site`): the development launcher on a free 127.0.0.1 port with a
private output and store, and the Chromium launch settings."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from support import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SECRET = "browser-tests-secret-0123456789abcdef0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveSite:
    def __init__(self, base: str, store: Path, env: dict, proc: subprocess.Popen):
        self.base = base
        self.store = store
        self.env = env
        self.proc = proc

    def url(self, path: str) -> str:
        return self.base + path

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """The real moderation command line, on this site's store."""
        return subprocess.run([sys.executable, "-m", "comment_service", *args], cwd=ROOT,
                              env=self.env, capture_output=True, text=True, timeout=60)

    def add_moderator(self, name: str, password: str) -> None:
        """``moderators add NAME``, the password on standard input."""
        done = subprocess.run([sys.executable, "-m", "comment_service", "moderators", "add", name], cwd=ROOT,
                              env=self.env, input=password + "\n", capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    def wait_for_text(self, path: str, needle: str, present: bool = True, timeout: float = 90) -> None:
        """Wait until the page at ``path`` shows (or no longer shows) ``needle``: a republication."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(self.url(path), timeout=10) as response:
                if (needle in response.read().decode("utf-8")) == present:
                    return
            time.sleep(0.5)
        pytest.fail(f"{path} does not {'show' if present else 'hide'} {needle!r}")

    def answer(self, token: str) -> str:
        from comment_service.captcha.challenge import answer_for

        return answer_for(token, SECRET)


@contextlib.contextmanager
def running_site(work: Path, **settings: str):
    """`python -m devserver` with a private output and store in `work`;
    `settings` override the environment (e.g. COMMENTS_RATE_LIMIT)."""
    port = free_port()
    env = dict(os.environ,
               COMMENTS_STORE=str(work / "store"),
               COMMENTS_SECRET=SECRET,
               COMMENTS_RATE_LIMIT="1000/600",
               COMMENTS_CAPTCHA_RATE_LIMIT="1000/600",
               COMMENTS_MIN_FILL_SECONDS="0",
               PYTHONUNBUFFERED="1")
    env.update(settings)
    log = open(work / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "devserver", "--port", str(port),
         "--output", str(work / "output"), "--cache", str(work / "cache")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/commentaires/sante", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                log.close()
                pytest.fail("the development launcher did not start:\n"
                            + (work / "server.log").read_text())
            time.sleep(0.2)
    try:
        yield LiveSite(base, work / "store", env, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
