"""Paths shared by every test module (import as `from support import ROOT`)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def front_matter(path: Path) -> dict[str, str]:
    """A Markdown file's metadata block, read independently of Pelican."""
    meta = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta


def squash(text: str) -> str:
    """Text with typographic apostrophes, non-breaking and repeated spaces folded."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()
