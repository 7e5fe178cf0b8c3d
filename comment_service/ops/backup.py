"""``python -m comment_service backup DEST`` and ``restore SRC``: a copy of the
store that can be taken while the service runs, and put back after a check.

What a backup holds (``DEST`` is a new or empty folder)::

    pending/ approved/ rejected/ replies/   every comment and reply file, in its folders
    accessibilite/                          the accessibility requests (accessibility/backup.py)
    reports/                                readers' reports (reports/backup.py)
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

``restore SRC`` checks the copy first: ``backup.json`` is there, no symbolic
link anywhere (nothing outside the copy is ever read), nothing but the
store's folders and files, every comment and reply file parses (the store's
parser) and sits in the right folder, ``moderators.json`` matches its schema
(``console.accounts.file_problems``), the guard database passes
``PRAGMA integrity_check``. Messages are in French. Only then is it put in place: copied into a new
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

from ..accessibility import backup as accessibility
from ..console.accounts import file_problems as accounts_file_problems
from ..reports import backup as reports_backup
from ..store import LOCK_NAME, REPLIES, STATES, Comment, Reply
from ..store.files import DIR_MODE, FILE_MODE, PRIVATE_MODE, ensure_dir, fsync_dir, open_lock, private_database

MANIFEST = "backup.json"
FOLDERS = (*STATES, REPLIES)
PLAIN_FILES = ("moderators.json",)
AUDIT = "audit.jsonl"
GUARD = "guard.sqlite3"
_COLON = "\u00a0: "
UNEXPECTED = "inattendu dans une sauvegarde (refusé)"


class BackupError(Exception):
    """The backup or the restore cannot be done; the message says why (nothing was replaced)."""


def _empty_or_absent(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


@contextmanager
def _moderation_lock(root: Path):
    fd = open_lock(root / LOCK_NAME)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _mode(name: str) -> int:
    """A file's mode in a store or a backup: the accounts and the guard owner-only."""
    return PRIVATE_MODE if name in (*PLAIN_FILES, GUARD) or name.startswith(GUARD + "-") else FILE_MODE


def set_modes(root: Path) -> None:
    """Every folder and file of a restored store to its mode, whatever the backup said."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        os.chmod(folder, DIR_MODE)
        for name in files:
            os.chmod(os.path.join(folder, name), _mode(name))


def _copy_file(src: Path, dst: Path, data: bytes | None = None) -> None:
    data = src.read_bytes() if data is None else data
    ensure_dir(dst.parent)
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, _mode(dst.name))
    try:
        os.fchmod(fd, _mode(dst.name))
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
    private_database(dst)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def backup(root: Path, dest: Path) -> dict:
    """Copy the store ``root`` into ``dest`` (new or empty); return the manifest."""
    if not root.is_dir():
        raise BackupError(f"pas de magasin de commentaires dans {root}")
    if not _empty_or_absent(dest):
        raise BackupError(f"{dest} n'est pas vide{_COLON}choisissez un nouveau dossier")
    ensure_dir(dest)
    os.chmod(dest, DIR_MODE)
    with _moderation_lock(root):
        count = _copy_folders(root, dest) + reports_backup.copy(root, dest, _copy_file)
    count += accessibility.copy(root, dest, _copy_file)  # accessibility/backup.py
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


def _links(src: Path) -> list[str]:
    """Every symbolic link in the tree (not followed): a backup holds none."""
    found = []
    for folder, dirs, files in os.walk(src, followlinks=False):
        found += [os.path.join(folder, n) for n in sorted(dirs + files) if os.path.islink(os.path.join(folder, n))]
    return found


def _expected(entry: Path) -> bool:
    """What the top of a backup may hold, and nothing else."""
    if entry.name in FOLDERS or entry.name in (accessibility.FOLDER, reports_backup.FOLDER):
        return entry.is_dir()
    names = (MANIFEST, AUDIT, GUARD, GUARD + "-wal", GUARD + "-shm", *PLAIN_FILES)  # SQLite's, once opened
    return entry.name in names and entry.is_file()


def _folder_problems(src: Path, folder: str) -> list[str]:
    """Each file of a state or replies folder parses, through the store's own parser, as what it holds."""
    problems = []
    for thread in sorted((src / folder).iterdir()) if (src / folder).is_dir() else ():
        for path in sorted(thread.iterdir()) if thread.is_dir() else [thread]:
            if not path.is_file() or path.suffix != ".json" or path.parent == src / folder:
                problems.append(f"{path}{_COLON}{UNEXPECTED}")
                continue
            try:
                item = (Reply if folder == REPLIES else Comment).from_json(path.read_bytes())
                ident = item.comment_id if folder == REPLIES else item.id
                if path.name != ident + ".json" or path.parent.name != item.thread or (
                        folder != REPLIES and item.status != folder):
                    raise ValueError("son identifiant, son fil ou son état ne correspond pas à sa place")
            except (ValueError, OSError) as exc:
                problems.append(f"{path}{_COLON}{exc}")
    return problems


def check(src: Path) -> list[str]:
    """Every problem of a backup folder, in French (empty: it can be restored)."""
    if not (src / MANIFEST).is_file():
        return [f"{src / MANIFEST} manque{_COLON}ce n'est pas une sauvegarde, ou une sauvegarde incomplète"]
    problems = [f"{link}{_COLON}lien symbolique refusé (une sauvegarde n'en contient aucun)" for link in _links(src)]
    if problems:  # nothing is read through a link
        return problems
    problems += [f"{entry}{_COLON}{UNEXPECTED}" for entry in sorted(src.iterdir()) if not _expected(entry)]
    for folder in FOLDERS:
        problems += _folder_problems(src, folder)
    problems += accessibility.problems(src)
    problems += reports_backup.problems(src, _COLON, UNEXPECTED)
    for name in PLAIN_FILES:  # moderators.json: its schema (a tampered copy could plant an account)
        if (src / name).is_file():
            problems += [f"{src / name}{_COLON}{p}" for p in accounts_file_problems((src / name).read_bytes())]
    if (src / GUARD).is_file():
        try:
            with sqlite3.connect(f"file:{src / GUARD}?mode=ro", uri=True) as conn:
                result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                problems.append(f"{src / GUARD}{_COLON}{result}")
        except sqlite3.Error as exc:
            problems.append(f"{src / GUARD}{_COLON}{exc}")
    return problems


def restore(src: Path, root: Path, force: bool = False) -> Path | None:
    """Check ``src``, then make it the store ``root``; the old store's new name, if kept."""
    problems = check(src)
    if problems:
        raise BackupError(f"la sauvegarde n'a pas été restaurée{_COLON}\n" + "\n".join(f"- {p}" for p in problems))
    if not force and not _empty_or_absent(root):
        raise BackupError(f"{root} n'est pas vide{_COLON}restaurez dans un dossier vide, ou ajoutez --force "
                          "(le magasin actuel est alors gardé à côté)")
    staging = root.with_name(f"{root.name}.restoring-{os.getpid()}")
    shutil.copytree(src, staging, symlinks=True, ignore=shutil.ignore_patterns(MANIFEST))
    set_modes(staging)
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
