"""Responsive derivatives of a raster image, made once per source content.

For a JPEG, PNG or WebP source: WebP files at ``WIDTHS`` (never wider than
the source), one fallback in the source's own format at ``DEFAULT_WIDTH``
(for the ``src`` of browsers without WebP), EXIF orientation applied and
every metadata dropped (phone photos carry the GPS position of the shot).

The cache: a folder per source content hash (``<cache>/<sha256[:20]>/``)
holding the derivatives and ``info.json`` (source size, the files and their
widths, heights, bytes). A rebuild with the same bytes only reads
``info.json``; a changed photo gets a new hash. ``made`` counts the sources
actually encoded (the build's report and the tests read it).

Pure apart from the cache folder it writes; no Pelican.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

WIDTHS = (480, 800, 1200)
DEFAULT_WIDTH = 800
WEBP_QUALITY = 78
FALLBACK_QUALITY = 80
FOLDER = "images/derivees"  # in the output
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Variant:
    name: str  # file name, in the cache and in FOLDER
    width: int
    height: int
    bytes: int
    webp: bool


@dataclass(frozen=True)
class Derived:
    digest: str
    width: int  # of the source, orientation applied
    height: int
    variants: tuple[Variant, ...]

    @property
    def webp(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.webp)

    @property
    def fallback(self) -> Variant:
        return next(v for v in self.variants if not v.webp)

    @property
    def default(self) -> Variant:
        """The WebP a reader gets at the default width (the page weight counts it)."""
        fitting = [v for v in self.webp if v.width <= DEFAULT_WIDTH]
        return fitting[-1] if fitting else self.webp[0]

    @property
    def largest(self) -> Variant:
        return self.webp[-1]


def slug(stem: str) -> str:
    text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    return _SLUG.sub("-", text).strip("-")[:40] or "image"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:20]


def cached(folder: Path) -> Derived | None:
    try:
        info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
        variants = tuple(Variant(**v) for v in info["variants"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all((folder / v.name).is_file() for v in variants):
        return None
    return Derived(info["digest"], info["width"], info["height"], variants)


def derive(source: Path, cache_root: Path, stats: dict | None = None) -> Derived:
    """The derivatives of ``source`` (made now, or read from the cache)."""
    digest = file_digest(source)
    folder = cache_root / digest
    found = cached(folder)
    if found is not None:
        return found
    from PIL import Image, ImageOps

    base = f"{slug(source.stem)}-{digest[:10]}"
    ext = {".jpeg": ".jpg"}.get(source.suffix.lower(), source.suffix.lower())
    tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    variants = []
    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)  # a copy: orientation applied
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode
                              else "RGB")
    width, height = image.size
    widths = sorted({min(w, width) for w in WIDTHS})
    for w in widths:
        variants.append(_save(image, w, tmp / f"{base}-{w}.webp", "WEBP", True))
    fallback_width = min(DEFAULT_WIDTH, width)
    fmt = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP"}[ext]
    variants.append(_save(image, fallback_width, tmp / f"{base}-{fallback_width}{ext}", fmt,
                          False))
    derived = Derived(digest, width, height, tuple(variants))
    (tmp / "info.json").write_text(json.dumps({
        "digest": digest, "width": width, "height": height,
        "variants": [v.__dict__ for v in variants]}), encoding="utf-8")
    try:
        os.replace(tmp, folder)
    except OSError:  # another build made it meanwhile
        for child in tmp.iterdir():
            child.unlink()
        tmp.rmdir()
    if stats is not None:
        stats["made"] = stats.get("made", 0) + 1
    return cached(folder) or derived


def _save(image, width: int, path: Path, fmt: str, webp: bool) -> Variant:
    from PIL import Image

    height = max(1, round(image.height * width / image.width))
    resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
    if fmt == "JPEG" and resized.mode != "RGB":
        resized = resized.convert("RGB")
    options = {"WEBP": {"quality": WEBP_QUALITY, "method": 4},
               "JPEG": {"quality": FALLBACK_QUALITY, "optimize": True, "progressive": True},
               "PNG": {"optimize": True}}[fmt]
    # No exif=, no icc_profile=: nothing of the source's metadata is written.
    resized.save(path, fmt, **options)
    return Variant(path.name, width, height, path.stat().st_size, webp)
