"""Files into the output: derivatives beside their pages, originals without metadata.

* ``copy_into(root, files)``: copy a content's derivatives (from the cache)
  into the output folder ``root`` (a staging or release folder as well);
* ``clean_published(pelican)`` (``finalized``): every JPEG, PNG or WebP that
  Pelican copied from content/ (``STATIC_PATHS``) is replaced by a copy with
  its orientation applied, no metadata (EXIF, GPS position, camera) and at
  most ``MAX_SIDE`` pixels: an original that an editor links or shares is
  never published with the place it was taken. Cached by content hash, like
  the derivatives; a file already clean is recognised and left alone.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from . import derive

MAX_SIDE = 2400
CLEANABLE = (".jpg", ".jpeg", ".png", ".webp")


def copy_into(root: str, files: list[tuple[str, str]]) -> None:
    for cached, rel in files:
        target = Path(root, rel)
        if target.is_file() and target.stat().st_size == os.path.getsize(cached):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)


def cleaned(source: Path, folder: Path) -> Path:
    """The clean version of ``source`` (made once), or source itself if it is one."""
    digest = derive.file_digest(source)
    if (folder / f"{digest}.propre").exists():
        return source
    target = folder / f"{digest}{source.suffix.lower()}"
    if target.is_file():
        return target
    from PIL import Image, ImageOps

    folder.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as opened:
        fmt = opened.format
        if not has_metadata(opened) and max(opened.size) <= MAX_SIDE:
            (folder / f"{digest}.propre").touch()  # nothing to remove: not re-encoded
            return source
        image = ImageOps.exif_transpose(opened)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    if fmt == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    options = {"JPEG": {"quality": 85, "optimize": True}, "WEBP": {"quality": 85}}.get(fmt, {})
    image.save(tmp, fmt, **options)
    (folder / f"{derive.file_digest(tmp)}.propre").touch()
    os.replace(tmp, target)
    return target


def readable(path: Path) -> bool:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
        return True
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False


def has_metadata(image) -> bool:
    """EXIF (camera, GPS position, orientation), XMP or comments in the file."""
    if len(image.getexif()):
        return True
    return any(key in image.info for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment",
                                             "Comment", "photoshop"))


def clean_published(pelican) -> None:
    from .images import cache_path

    settings = pelican.settings
    output = Path(pelican.output_path)
    folder = Path(cache_path(settings)) / "originaux"
    for static in settings.get("STATIC_PATHS", []):
        top = output / static
        if not top.is_dir():
            continue
        for path in sorted(top.rglob("*")):
            rel = path.relative_to(output).as_posix()
            if path.suffix.lower() not in CLEANABLE or rel.startswith(derive.FOLDER + "/") \
                    or not path.is_file():
                continue
            if not readable(path):
                path.unlink()  # a damaged file, used by no page, is never published
                continue
            try:
                clean = cleaned(path, folder)
            except (OSError, ValueError) as exc:  # the cache folder: full disk, rights
                from editorial import ContentError

                raise ContentError([f"- {rel} : ses métadonnées (position GPS, appareil) n'ont "
                                    f"pas pu être retirées ({exc.__class__.__name__} : {exc}) ; "
                                    "relancez la publication, puis prévenez l'équipe technique"
                                    ]) from exc
            if clean != path:
                path.unlink()  # never write through a link into content/
                shutil.copyfile(clean, path)
