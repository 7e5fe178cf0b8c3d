"""Writing a build's own files so that a reader never sees half of one."""

from __future__ import annotations

import os
import secrets

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader (the running comment
    service, a web server) sees the old file or the new one, never a part.
    On failure nothing is left. No fsync per file (a build writes thousands:
    seconds): a release is flushed to disk once, whole, before it is served
    (``release.layout.sync_folder``). Few system calls (a build writes a
    thousand feeds): the folder is made only when it is missing."""
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
