"""The bytes of a content file, as every plugin reads them.

A build reads each source file from disk. The publisher's check of a push
(``publisher/precheck.py``) reads some files as the push would make them,
without writing them into the folder it publishes: inside ``overlay(texts)``
(absolute path -> bytes), those paths read as the given bytes, everywhere a
plugin reads a source (the reader, the report's line numbers, the links' and
images' lines). Outside it, the disk.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_OVERLAY: dict[str, bytes] = {}


def overlaid(path) -> bool:
    return bool(_OVERLAY) and os.path.abspath(path) in _OVERLAY


def source_bytes(path) -> bytes:
    """The file's bytes (OSError when unreadable)."""
    if _OVERLAY:
        data = _OVERLAY.get(os.path.abspath(path))
        if data is not None:
            return data
    return Path(path).read_bytes()


def source_text(path) -> str:
    """The file's UTF-8 text (OSError, UnicodeDecodeError)."""
    return source_bytes(path).decode("utf-8")


@contextlib.contextmanager
def overlay(texts: dict[str, bytes]):
    """While inside, these absolute paths read as these bytes (one at a time)."""
    if _OVERLAY:
        raise RuntimeError("an overlay is already in place")
    _OVERLAY.update({os.path.abspath(p): bytes(b) for p, b in texts.items()})
    try:
        yield
    finally:
        _OVERLAY.clear()
