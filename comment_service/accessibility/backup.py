"""The accessibility requests in a backup of the store (called by comment_service/ops/backup.py).

``copy`` puts every request file into ``<backup>/accessibilite/`` (each file
is replaced atomically, never written in place: a copy is whole); ``problems``
checks, before a restore, that each file there is a request whose id is its
name (the parser of ``records``), in French like the other checks.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..store.files import fsync_dir
from ..store.layout import is_comment_id
from .records import FOLDER, SUFFIX, _parse

__all__ = ["FOLDER", "copy", "problems"]
_COLON = "\u00a0: "


def copy(root: Path, dest: Path, copy_file) -> int:
    """Copy the request files with ``copy_file(src, dst, data)``; how many."""
    base = root / FOLDER
    if not base.is_dir():
        return 0
    copied = 0
    for path in sorted(base.glob("*" + SUFFIX)):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        copy_file(path, dest / FOLDER / path.name, data)
        copied += 1
    if copied:
        fsync_dir(dest / FOLDER)
    return copied


def problems(src: Path) -> list[str]:
    found = []
    base = src / FOLDER
    for path in sorted(base.iterdir()) if base.is_dir() else ():
        request_id = path.name[:-len(SUFFIX)] if path.name.endswith(SUFFIX) else ""
        if not (is_comment_id(request_id) and path.is_file() and not os.path.islink(path)):
            found.append(f"{path}{_COLON}inattendu dans une sauvegarde (refusé)")
        elif _parse(path.read_bytes(), request_id) is None:
            found.append(f"{path}{_COLON}demande d'accessibilité illisible ou incomplète")
    return found
