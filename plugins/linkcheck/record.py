"""What a passing link check covered, so that a publication can tell,
cheaply, that the build's own check already judged exactly the folder it is
about to serve, with the same settings.

The build (``plugin.py``) writes the record when its check found nothing and
``LINKCHECK_RECORD`` names a file; ``release.check_release`` then calls
``covered``: True only when the record's parameters are the ones the release
would check with, no page was left out as a source (no draft preview), and
the folder holds the same entries (every file and folder outside the skipped
ones) with the same bytes in every page, feed and sitemap it read. The
check's result depends on nothing else (``check_output`` is a function of
those), so running it again would find nothing either. In any other case
(no record, a build without the plugin or with ``LINKCHECK = False``, other
settings, a file added, removed or changed) the release runs the full check.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

VERSION = 1


def _is_source(path: Path) -> bool:
    """The files ``check_output`` reads (the others only have to exist)."""
    return (path.suffix == ".html" or path.name.endswith(".atom.xml")
            or path.name == "sitemap.xml")


def snapshot(output, skip_dirs=("pagefind",)) -> list[list[str]]:
    """Every entry of ``output``: its relative path, its kind (``f`` file,
    ``d`` folder, ``l`` symbolic link, with its target) and, for a page or feed
    read as a source (outside ``skip_dirs``), its bytes' digest. Entries under
    ``skip_dirs`` are listed too: links may lead to them."""
    output = Path(output).resolve()
    skipped = {output / d for d in skip_dirs if d}
    entries = []
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if path.is_symlink():
            entries.append([rel, "l", str(path.readlink())])
        elif path.is_file():
            source = _is_source(path) and not any(s in path.parents for s in skipped)
            digest = hashlib.blake2b(path.read_bytes(), digest_size=20).hexdigest() \
                if source else ""
            entries.append([rel, "f", digest])
        else:
            entries.append([rel, "d", ""])
    return entries


def parameters(site_urls, ignore, skip_dirs, skip_pages) -> dict:
    """The check's settings as ``check_output`` uses them (order and empty
    values do not change its result)."""
    return {"site_urls": sorted({u.rstrip("/") for u in site_urls if u}),
            "ignore": sorted({p for p in ignore if p}),
            "skip_dirs": sorted({d for d in skip_dirs if d}),
            "skip_pages": sorted(set(skip_pages))}


def write_record(record, output, site_urls, ignore, skip_dirs, skip_pages) -> None:
    data = {"version": VERSION,
            "parameters": parameters(site_urls, ignore, skip_dirs, skip_pages),
            "entries": snapshot(output, skip_dirs)}
    Path(record).write_text(json.dumps(data), encoding="utf-8")


def covered(record, output, site_urls, ignore, skip_dirs) -> bool:
    """Whether a full check of ``output`` (every page read as a source) with
    these settings is known to pass from the build's record."""
    try:
        data = json.loads(Path(record).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return False
    if data.get("parameters") != parameters(site_urls, ignore, skip_dirs, ()):
        return False
    return data.get("entries") == snapshot(output, skip_dirs)
