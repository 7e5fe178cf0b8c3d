"""The search index brought up to date after body edits, in the served release.

A body edit replaces pages in place (``reread.py``); their search entries
are then stale. Rather than a whole new release (a full Pelican build), the
publisher runs Pagefind over the served release, exactly as a build would
(same program, same pages: ``plugins/search``), into a staging folder, then
moves the new bundle in:

1. files the served bundle does not have yet (Pagefind names its index,
   fragment and metadata chunks after their content): added;
2. files whose name stays (``pagefind-entry.json``, which names the chunks
   of this index, ``pagefind.js``…): replaced, each by ``rename(2)``;
3. files the new index no longer names: removed.

A reader whose search started before step 2 still finds every chunk its
entry file names; one who loads the page after step 2 gets the new index
whole. A release switch (a full publication) leaves a reader mid-search no
better off.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from release import BuildFailed
from release.layout import sync_folder


def build_bundle(served: Path, bundle: Path, indexed: list[str]) -> None:
    """Index the served release into ``bundle`` (outside it)."""
    from search import content_glob, pagefind_executable

    command = [pagefind_executable(), "--site", str(served), "--output-path", str(bundle),
               "--silent"]
    if indexed:
        command += ["--glob", content_glob(indexed)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildFailed(f"index de recherche non construit : {exc}") from None
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise BuildFailed("index de recherche non construit (pagefind) :\n"
                          + result.stdout + result.stderr)


def swap_in(bundle: Path, served_bundle: Path) -> list[str]:
    """Move ``bundle`` over ``served_bundle`` in the order above; the paths changed."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    sync_folder(bundle)  # on disk before the renames
    new, old = files(bundle), files(served_bundle)
    added = sorted(new.keys() - old.keys())
    kept = sorted(n for n in new.keys() & old.keys() if new[n].read_bytes() != old[n].read_bytes())
    for name in added + kept:
        target = served_bundle / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(new[name], target)
    removed = sorted(old.keys() - new.keys())
    for name in removed:
        old[name].unlink(missing_ok=True)
    return [f"{served_bundle.name}/{n}" for n in added + kept + removed]
