"""Writing a build's own files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader (the running comment
    service, a web server) sees the old file or the new one, never a part.
    On failure nothing is left. No fsync per file (a build writes thousands:
    seconds): a release is flushed to disk once, whole, before it is served
    (``release.layout.sync_folder``)."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + "-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
