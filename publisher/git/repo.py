"""Git, from the server's hooks and the publisher: a few plumbing commands.

Every command runs ``git`` with the hook's variables removed (``GIT_DIR``,
``GIT_WORK_TREE``, ``GIT_INDEX_FILE``…) unless asked to keep them: a hook
runs with ``GIT_DIR`` set to the bare repository, and a command meant for the
publisher's checkout must not act on it. ``keep_quarantine``: in
``pre-receive``, the pushed objects are still in git's quarantine folder,
reachable only through the variables git set (``GIT_QUARANTINE_PATH``,
``GIT_OBJECT_DIRECTORY``, ``GIT_ALTERNATE_OBJECT_DIRECTORIES``).
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

ZERO = "0" * 40
_REPO_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")
_QUARANTINE_VARS = ("GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY",
                    "GIT_ALTERNATE_OBJECT_DIRECTORIES")


class GitError(Exception):
    pass


def env(keep_quarantine: bool = False) -> dict:
    drop = _REPO_VARS + (() if keep_quarantine else _QUARANTINE_VARS)
    return {k: v for k, v in os.environ.items() if k not in drop}


def git(repo: Path | str, *args: str, keep_quarantine: bool = False, check: bool = True,
        binary: bool = False):
    """``git -C repo args…``: its output (text unless ``binary``)."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                          env=env(keep_quarantine), check=False)
    if check and done.returncode != 0:
        raise GitError(f"git {' '.join(args)} : "
                       + done.stderr.decode("utf-8", "replace").strip())
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def is_zero(sha: str) -> bool:
    return set(sha) == {"0"}


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    subject: str


def commit_info(repo, rev: str = "HEAD", keep_quarantine: bool = False) -> Commit:
    out = git(repo, "log", "-1", "--format=%H%x00%an%x00%s", rev, "--",
              keep_quarantine=keep_quarantine)
    sha, author, subject = (out.rstrip("\n").split("\x00") + ["", "", ""])[:3]
    return Commit(sha, author, subject)


def changed_files(repo, old: str | None, new: str, keep_quarantine: bool = False) -> list[str]:
    """Paths changed from ``old`` to ``new`` (every file of ``new`` when ``old`` is none)."""
    if not old or is_zero(old):
        out = git(repo, "ls-tree", "-r", "--name-only", "-z", new,
                  keep_quarantine=keep_quarantine)
    else:
        out = git(repo, "diff", "--name-only", "-z", "--no-renames", old, new,
                  keep_quarantine=keep_quarantine, check=False)
    return [p for p in out.split("\x00") if p]


def export_tree(repo, rev: str, folder: str, target: Path,
                keep_quarantine: bool = False) -> Path:
    """The files of ``folder`` at ``rev``, written under ``target``
    (``target/folder/…``). Links and paths leaving ``target`` are skipped:
    the pushed tree is untrusted."""
    data = git(repo, "archive", "--format=tar", rev, "--", folder,
               keep_quarantine=keep_quarantine, binary=True)
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = [m for m in archive.getmembers() if (m.isfile() or m.isdir())
                   and (root / m.name).resolve().is_relative_to(root)]
        archive.extractall(root, members=members, filter="data")
    return target / folder
