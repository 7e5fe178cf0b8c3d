"""Withdrawn contents answer 410 Gone: the markers a release carries.

``plugins/expiry`` writes one empty file ``.gone/<output path>.410`` per
expired content; nginx (deploy/nginx/site.conf.in, ``@gone``) and the
development server (devserver/static.py, ``is_gone``) answer 410 where one
exists. The folder and suffix are written here only.
"""

from __future__ import annotations

from pathlib import Path

GONE_FOLDER, GONE_SUFFIX = ".gone", ".410"


def is_gone(root: Path, url_path: str) -> bool:
    """Whether the release in ``root`` withdrew a content at ``url_path``."""
    parts = [p for p in url_path.split("/") if p not in ("", ".")]
    if any(p == ".." or "\x00" in p or p.startswith(".") for p in parts):
        return False
    base = root.joinpath(GONE_FOLDER, *parts)
    candidates = [base / f"index.html{GONE_SUFFIX}"]
    if parts:
        candidates.append(base.with_name(base.name + GONE_SUFFIX))
    try:
        return any(c.is_file() for c in candidates)
    except (OSError, ValueError):  # a name too long
        return False
