"""A development build (``python -m editorial``, ``make html``) that leaves
its output folder as it was when it is refused.

Pelican writes pages as it goes and the site-wide link check runs last: a
refused build would leave about a hundred new files in ``output/`` under a
message saying « rien n'a été publié ». ``scratch_output(output)`` gives the
build a new folder beside ``output`` (same file system); ``swap_in`` then
puts it in place of ``output`` (two renames) once the build succeeded, and
the old folder is removed; a failed build removes only its scratch folder.
A folder left by a killed build is removed by the next one. The output
folder holds exactly what the last good build wrote (no page of a deleted
article lingers).
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

PREFIX = ".construction-"
OLD = ".ancien-"


def _siblings(output: Path, marker: str):
    return sorted(output.parent.glob(f".{output.name}{marker}*"))


def scratch_output(output: Path) -> Path:
    """A new, empty folder beside ``output``; leftovers of killed builds removed."""
    output.parent.mkdir(parents=True, exist_ok=True)
    for leftover in [*_siblings(output, PREFIX), *_siblings(output, OLD)]:
        shutil.rmtree(leftover, ignore_errors=True)
    scratch = output.parent / f".{output.name}{PREFIX}{secrets.token_hex(4)}"
    scratch.mkdir()
    return scratch


def swap_in(scratch: Path, output: Path) -> None:
    """``scratch`` becomes ``output``; the previous output is removed."""
    old = None
    if output.exists() or output.is_symlink():
        old = output.parent / f".{output.name}{OLD}{secrets.token_hex(4)}"
        os.rename(output, old)
    os.rename(scratch, output)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def discard(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
