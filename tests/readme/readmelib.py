"""The README's commands run the way a newcomer runs them.

`fresh_checkout(dest)` lays out what a clone of this repository holds (the
files git tracks, plus new files not yet committed), with this checkout's
installed virtualenv and npm tools linked in (so that `make` finds them up to
date instead of downloading them again). `readme_env()` is the user's shell:
this process's environment without any of the project's settings. A test runs
`make serve` there, from that folder, exactly as the README says.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from support import ROOT

#: Variables a newcomer has not set: every setting of the site and the service.
PROJECT_SETTINGS = re.compile(r"^(COMMENTS_|SITE|SCHEDULE_NOW|EVENTS_|PYTHON|VIRTUAL_ENV|HOST$|PORT$)")
LINKED = (".venv", "node_modules")


def readme_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not PROJECT_SETTINGS.match(k)}


def fresh_checkout(dest: Path) -> Path:
    # The linked virtualenv must be up to date here first (a no-op after `make
    # test`'s own install): make in the copy would otherwise try to rebuild it
    # through the link, as it would for a user whose requirements just changed.
    subprocess.run(["make", "-s", "venv"], cwd=ROOT, env=readme_env(), check=True, capture_output=True)
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)  # mtimes kept: make sees the venv as up to date
    for name in LINKED:
        if (ROOT / name).exists():
            (dest / name).symlink_to(ROOT / name)
    return dest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serve:
    """`make serve PORT=…` in `folder`, in its own process group (as a terminal
    runs it), its output in `log`; `interrupt()` is the terminal's Ctrl-C."""

    def __init__(self, folder: Path, log: Path, timeout: float = 600):
        self.folder, self.log_path, self.port = folder, log, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "w")
        self.proc = subprocess.Popen(["make", "serve", f"PORT={self.port}"], cwd=folder,
                                     env=readme_env(), stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self._serves("/"):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("make serve did not serve the site:\n" + self.output())
            time.sleep(0.3)

    def _serves(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read().decode("utf-8")

    def output(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C: SIGINT to the whole foreground group (make, the launcher, the publisher)."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.stop()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self._log.close()

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        """A README command line (`.venv/bin/python -m …`) in the same folder and shell."""
        return subprocess.run(list(args), cwd=self.folder, env=readme_env(), input=stdin,
                              capture_output=True, text=True, timeout=120)
