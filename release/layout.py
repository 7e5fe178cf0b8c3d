"""The release folders and the served link (no Pelican, no build).

Layout under SITE_ROOT (default ``var/site``, comment_service/defaults.py)::

    SITE_ROOT/
      releases/20261201T101500Z-3f9a1c/   one complete, checked build each
      releases/.building-<id>/            a build in progress (never served)
      current -> releases/<id>            the served link (nginx root)
      .lock                               one publisher at a time (flock)
      cache/                              Pelican's content cache

Atomicity: a build is written into ``.building-<id>``, renamed to ``<id>``
once checked, and made live by creating a new symbolic link beside
``current`` and renaming it over ``current`` (``rename(2)`` replaces it in
one step: a reader sees the old release or the new one, never a mix and
never nothing). The build's files are made durable by one ``sync_folder``
of the finished build before the rename (a build writes its files without
an fsync each). A build that fails or is killed leaves at most a
``.building-*`` folder, swept by the next publication; ``current`` is only
ever touched by ``switch``.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import fcntl
import os
import re
import secrets
import shutil
from pathlib import Path

from comment_service.store.files import fsync_dir

#: UTC date and time to the microsecond (two publications can fall in one
#: second: the names must still sort by age), then randomness. Names to the
#: second, as releases were first named, are still recognised.
RELEASE_RE = re.compile(r"\d{8}T\d{6}(?:\d{6})?Z-[0-9a-f]{6}")
STAGING_PREFIX = ".building-"


def sync_folder(path: Path | str) -> None:
    """Flush to disk every file written under ``path``: one ``syncfs(2)`` of
    its file system (``sync(2)`` where that call is missing) rather than an
    fsync per file (thousands in a build: seconds). Then the folder itself."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if _LIBC is None or _LIBC.syncfs(fd) != 0:
            os.sync()
        os.fsync(fd)
    finally:
        os.close(fd)


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc if hasattr(libc, "syncfs") else None
    except OSError:  # pragma: no cover - not glibc or musl
        return None


_LIBC = _libc()


class ReleaseError(Exception):
    """A release operation that cannot be done; the message is for the operator."""


def new_release_id(now: dt.datetime | None = None) -> str:
    """UTC time to the microsecond, then randomness: names sort by age and never collide."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


class Releases:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.folder = self.root / "releases"
        self.current = self.root / "current"

    # --- reading -------------------------------------------------------------

    def ids(self) -> list[str]:
        """Complete releases, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir()
                      if p.is_dir() and RELEASE_RE.fullmatch(p.name))

    def current_id(self) -> str | None:
        try:
            target = os.readlink(self.current)
        except (FileNotFoundError, OSError):
            return None
        name = Path(target).name
        return name if RELEASE_RE.fullmatch(name) else None

    def path(self, release_id: str) -> Path:
        if not RELEASE_RE.fullmatch(release_id) or release_id not in self.ids():
            raise ReleaseError(f"release inconnue : « {release_id} » (voir python -m release list)")
        return self.folder / release_id

    def previous(self) -> str | None:
        """The newest release older than the served one."""
        current = self.current_id()
        older = [r for r in self.ids() if current is None or r < current]
        return older[-1] if older else None

    # --- changing ------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self):
        """One publisher or rollback at a time (released if the process dies)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ReleaseError("une autre publication est en cours ; réessayez quand elle "
                                   "sera terminée") from None
            yield

    def staging(self, release_id: str) -> Path:
        """A new, empty folder to build into (not a release until promoted)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / (STAGING_PREFIX + release_id)
        path.mkdir()
        return path

    def sweep_staging(self) -> list[str]:
        """Remove builds left by a failed or killed publication (call under lock)."""
        swept = []
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name.startswith(STAGING_PREFIX) and path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                    swept.append(path.name)
                elif path.name.startswith(STAGING_PREFIX):  # its link-check record
                    path.unlink(missing_ok=True)
        return swept

    def promote(self, staging: Path) -> str:
        """The checked build becomes a release (a rename in the same folder),
        its files on disk first: a crash right after the switch cannot serve
        an empty page."""
        release_id = staging.name.removeprefix(STAGING_PREFIX)
        sync_folder(staging)
        os.rename(staging, self.folder / release_id)
        fsync_dir(self.folder)
        return release_id

    def switch(self, release_id: str) -> None:
        """Serve ``release_id``: a new link renamed over ``current`` (atomic)."""
        self.path(release_id)  # must exist
        temporary = self.root / f".current-{secrets.token_hex(4)}"
        os.symlink(Path("releases") / release_id, temporary)
        try:
            os.replace(temporary, self.current)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise
        fsync_dir(self.root)

    def prune(self, keep: int) -> list[str]:
        """Delete the oldest releases beyond ``keep``; the served one always stays."""
        current = self.current_id()
        ids = self.ids()
        kept = set(ids[-keep:]) | {current}
        removed = [r for r in ids if r not in kept]
        for release_id in removed:
            shutil.rmtree(self.folder / release_id, ignore_errors=True)
        return removed
