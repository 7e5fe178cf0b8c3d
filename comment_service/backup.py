"""``python -m comment_service backup DEST`` and ``restore SRC``: a copy of the
store that can be taken while the service runs, and put back after a check.

What a backup holds (``DEST`` is a new or empty folder)::

    pending/ approved/ rejected/ replies/   every comment and reply file, in its folders
    moderators.json                         the moderators' accounts
    audit.jsonl                             the audit log, up to its last whole line
    guard.sqlite3                           the SQLite guard (spent captchas, limits),
                                            copied with SQLite's online backup API
    backup.json                             when, from where, how many files

Consistency while the service runs: comment files are only ever created whole
(tmp/, fsync, rename) and moderation moves them under ``.moderation.lock``;
the copy of the folders holds that lock, so no comment is moved during the
copy (it cannot be copied twice, nor missed between two folders). A comment
posted meanwhile is in the copy or not, never half. ``tmp/`` and the console's
sessions (moderators sign in again) are not copied. Each copied file is
fsynced, then ``backup.json`` last: a backup without it is incomplete.

``restore SRC`` checks the copy first: ``backup.json`` is there, every comment
and reply file parses and sits in the right folder, the guard database passes
``PRAGMA integrity_check``. Only then is it put in place: copied into a new
folder beside the store, then renamed to the store's name. The store must be
absent or empty, unless ``--force``: the current store is then kept beside it
as ``<store>.before-restore-<time>``. Stop the service while restoring.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .store import LOCK_NAME, REPLIES, STATES, Comment, Reply
from .store.files import fsync_dir

MANIFEST = "backup.json"
FOLDERS = (*STATES, REPLIES)
PLAIN_FILES = ("moderators.json",)
AUDIT = "audit.jsonl"
GUARD = "guard.sqlite3"


class BackupError(Exception):
    """The backup or the restore cannot be done; the message says why (nothing was replaced)."""


def _empty_or_absent(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


@contextmanager
def _moderation_lock(root: Path):
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _copy_file(src: Path, dst: Path, data: bytes | None = None) -> None:
    data = src.read_bytes() if data is None else data
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o640)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_folders(root: Path, dest: Path) -> int:
    copied = 0
    for folder in FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for thread in sorted(p for p in base.iterdir() if p.is_dir()):
            for path in sorted(thread.glob("*.json")):
                try:
                    data = path.read_bytes()
                except FileNotFoundError:  # a reply removed meanwhile (replies do not take the lock)
                    continue
                _copy_file(path, dest / folder / thread.name / path.name, data)
                copied += 1
            if (dest / folder / thread.name).is_dir():
                fsync_dir(dest / folder / thread.name)
    return copied


def _copy_sqlite(src: Path, dst: Path) -> None:
    """SQLite's online backup: a consistent snapshot while other processes write."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def backup(root: Path, dest: Path) -> dict:
    """Copy the store ``root`` into ``dest`` (new or empty); return the manifest."""
    if not root.is_dir():
        raise BackupError(f"no store at {root}")
    if not _empty_or_absent(dest):
        raise BackupError(f"{dest} is not empty: choose a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    with _moderation_lock(root):
        count = _copy_folders(root, dest)
    for name in PLAIN_FILES:
        if (root / name).is_file():
            _copy_file(root / name, dest / name)
    if (root / AUDIT).is_file():  # append-only: keep whole lines only
        data = (root / AUDIT).read_bytes()
        _copy_file(root / AUDIT, dest / AUDIT, data[: data.rfind(b"\n") + 1])
    if (root / GUARD).is_file():
        _copy_sqlite(root / GUARD, dest / GUARD)
    manifest = {"version": 1, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "host": socket.gethostname(), "store": str(root.resolve()), "files": count}
    _copy_file(Path(MANIFEST), dest / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    fsync_dir(dest)
    return manifest


def check(src: Path) -> list[str]:
    """Every problem of a backup folder (empty: it can be restored)."""
    if not (src / MANIFEST).is_file():
        return [f"{src / MANIFEST} is missing: not a backup, or an incomplete one"]
    problems = []
    for folder in FOLDERS:
        for path in sorted((src / folder).glob("*/*")) if (src / folder).is_dir() else ():
            try:
                item = (Reply if folder == REPLIES else Comment).from_json(path.read_bytes())
                ident = item.comment_id if folder == REPLIES else item.id
                if path.name != ident + ".json" or path.parent.name != item.thread or (
                        folder != REPLIES and item.status != folder):
                    raise ValueError("its id, thread or state disagrees with its place")
            except (ValueError, OSError) as exc:
                problems.append(f"{path}: {exc}")
    if (src / GUARD).is_file():
        try:
            with sqlite3.connect(f"file:{src / GUARD}?mode=ro", uri=True) as conn:
                result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                problems.append(f"{src / GUARD}: {result}")
        except sqlite3.Error as exc:
            problems.append(f"{src / GUARD}: {exc}")
    return problems


def restore(src: Path, root: Path, force: bool = False) -> Path | None:
    """Check ``src``, then make it the store ``root``; the old store's new name, if kept."""
    problems = check(src)
    if problems:
        raise BackupError("the backup was not restored:\n" + "\n".join(f"- {p}" for p in problems))
    if not force and not _empty_or_absent(root):
        raise BackupError(f"{root} is not empty: restore into an empty folder, or add --force "
                          "(the current store is then kept beside it)")
    staging = root.with_name(f"{root.name}.restoring-{os.getpid()}")
    shutil.copytree(src, staging, ignore=shutil.ignore_patterns(MANIFEST))
    kept = None
    if root.exists():
        if any(root.iterdir()):
            kept = root.with_name(f"{root.name}.before-restore-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")
            os.rename(root, kept)
        else:
            root.rmdir()
    os.rename(staging, root)
    fsync_dir(root.parent)
    return kept


def add_parser(sub, common) -> None:
    p = sub.add_parser("backup", help="copy the store into a new folder (safe while the service runs)",
                       parents=[common])
    p.add_argument("dest", type=Path)
    p = sub.add_parser("restore", help="check a backup, then make it the store", parents=[common])
    p.add_argument("src", type=Path)
    p.add_argument("--force", action="store_true", help="replace a non-empty store (kept beside it)")


def run(root: Path, args) -> int:
    """The command; exit 0 done, 1 the backup is damaged or the target not empty, 3 disk error."""
    try:
        if args.command == "backup":
            manifest = backup(root, args.dest)
            print(f"backup of {root} in {args.dest}: {manifest['files']} comment and reply files")
        else:
            kept = restore(args.src, root, args.force)
            print(f"{args.src} restored into {root}" + (f" (the previous store is in {kept})" if kept else ""))
        return 0
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:
        print(f"cannot {args.command}: {exc}", file=sys.stderr)
        return 3
