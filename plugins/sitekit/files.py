"""Writing a build's own files so that a reader never sees half of one."""

from __future__ import annotations

import os
import secrets

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _holds(path: str, data) -> bool:
    """Whether ``path`` is a readable regular file (mode 0644) with exactly ``data``."""
    try:
        found = os.stat(path)
        if (not isinstance(data, bytes) or found.st_size != len(data)
                or found.st_mode & 0o170777 != 0o100644):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader (the running comment
    service, a web server) sees the old file or the new one, never a part.
    On failure nothing is left. No fsync per file (a build writes thousands:
    seconds): a release is flushed to disk once, whole, before it is served
    (``release.layout.sync_folder``). Few system calls (a build writes a
    thousand feeds): the folder is made only when it is missing, and a file
    that already holds these bytes is left alone (a rebuild into the same
    folder: no rename, whose replacement of a file makes ext4 flush it, and
    the same modification time for rsync)."""
    if _holds(path, data):
        return
    folder = os.path.dirname(path)
    tmp = os.path.join(folder, f".{os.path.basename(path)}-{secrets.token_hex(8)}")
    try:
        fd = os.open(tmp, _FLAGS, 0o644)
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, _FLAGS, 0o644)
    try:
        try:
            os.fchmod(fd, 0o644)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
