"""Helpers for the git tests: a server (a bare repository with our hooks, the
publisher's checkout, a SITE_ROOT) and an editor's clone pushing to it, all
with the real `git` and the real `python -m publisher.git`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from support import ROOT, fingerprint  # noqa: F401 (fingerprint: for the tests)

FIXED = {"EVENTS_TODAY": "2026-11-26", "SCHEDULE_NOW": "2026-11-26 12:00"}
ARTICLE = "content/articles/2014-07-08-travaux-ete-rd14.md"


def wait_for(condition, seconds: float = 120.0) -> bool:
    """Poll ``condition`` every 0.2 s for at most ``seconds`` (a bound, not a timing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def git_env(tmp: Path, **extra: str) -> dict:
    """The pushing editor's environment: the hooks inherit it (the local
    transport runs the server's side as a child), hence their SITE_ROOT,
    comment store and clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(COMMENTS_STORE=str(tmp / "store"), SITE_ROOT=str(tmp / "site"),
               HOME=str(tmp / "home"), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Claire Martin", GIT_AUTHOR_EMAIL="claire@example.org",
               GIT_COMMITTER_NAME="Claire Martin", GIT_COMMITTER_EMAIL="claire@example.org",
               **FIXED)
    env.update(extra)
    (tmp / "home").mkdir(exist_ok=True)
    (tmp / "store").mkdir(exist_ok=True)  # a publication refuses a missing comment store
    return env


def run(args, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


@dataclass
class Server:
    tmp: Path
    bare: Path
    checkout: Path
    root: Path
    env: dict

    @property
    def current(self) -> Path:
        return self.root / "current"

    def head(self) -> str:
        return run(["git", "rev-parse", "refs/heads/main"], self.bare, self.env).stdout.strip()


def server(tmp: Path, mode: str = "release") -> Server:
    env = git_env(tmp)
    bare, checkout, root = tmp / "site.git", tmp / "checkout", tmp / "site"
    run([sys.executable, "-m", "publisher.git", "install", str(bare), "--checkout",
         str(checkout), "--root", str(root), "--mode", mode], ROOT, env)
    return Server(tmp, bare, checkout, root, env)


@dataclass
class Editor:
    repo: Path
    env: dict

    def write(self, relative: str, text: str) -> None:
        path = self.repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def read(self, relative: str) -> str:
        return (self.repo / relative).read_text(encoding="utf-8")

    def commit(self, message: str) -> str:
        run(["git", "add", "-A"], self.repo, self.env)
        run(["git", "commit", "-q", "-m", message], self.repo, self.env)
        return run(["git", "rev-parse", "HEAD"], self.repo, self.env).stdout.strip()

    def break_date(self, relative: str) -> tuple[str, int]:
        """Commit the editors' commonest mistake, a French date (« Date: 12/07/2014 »):
        the commit and the 1-based line the report must name."""
        lines = self.read(relative).splitlines()
        index = next(i for i, line in enumerate(lines) if line.startswith("Date:"))
        lines[index] = "Date: 12/07/2014"
        self.write(relative, "\n".join(lines) + "\n")
        return self.commit("Date à la française"), index + 1

    def push(self, *args: str) -> subprocess.CompletedProcess:
        """``git push origin ARGS`` (default: main)."""
        return run(["git", "push", "origin", *(args or ("main",))], self.repo, self.env,
                   check=False)


def editor(srv: Server, name: str = "editor") -> Editor:
    """A clone of the server's repository holding a copy of the site's content."""
    repo = srv.tmp / name
    run(["git", "clone", "-q", str(srv.bare), str(repo)], srv.tmp, srv.env)
    run(["git", "checkout", "-q", "-B", "main"], repo, srv.env)
    if not (repo / "content").exists():
        shutil.copytree(ROOT / "content", repo / "content")
    return Editor(repo, srv.env)
