"""Body images: known dimensions and lazy loading.

For the images of every article, page and event body:

* ``width``/``height`` are filled from the file when the editor left them
  out, so that the page does not jump while images load; a local image whose
  size cannot be read fails the build (the editorial plugin reports it with
  the file);
* every image after the first gets ``loading="lazy"`` and
  ``decoding="async"``: the first one may be in view when the page opens (and
  be its largest paint), the others are fetched when the reader scrolls to
  them.

Signal: ``content_object_init`` (each content as it is read). Settings: none.
Pure helpers (``local_file``, ``image_size``, ``lazy_images``) apart from the
signal handler (``process_images``).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from pelican import signals

from editorial import record_problem
from sitekit import LINK_PREFIX_RE

IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
SVG_LENGTH_RE = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")


def _attributes(tag: str) -> list[tuple[str, str | None]]:
    inner = tag[4:].rstrip(">").rstrip("/")
    attrs = []
    for name, raw in ATTR_RE.findall(inner):
        value = None
        if raw:
            value = html.unescape(raw[1:-1] if raw[0] in "\"'" else raw)
        attrs.append((name.lower(), value))
    return attrs


def _serialise(attrs: list[tuple[str, str | None]]) -> str:
    parts = []
    for name, value in attrs:
        parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
    return "<img " + " ".join(parts) + ">"


def local_file(src: str, source_path: str, content_root: str) -> Path | None:
    """The content/ file an image refers to, or None (not a local file)."""
    src = src.split("?", 1)[0].split("#", 1)[0]
    match = LINK_PREFIX_RE.match(src)
    if match:
        rel = src[match.end():]
        base = content_root if rel.startswith("/") else os.path.dirname(source_path)
        return Path(base, rel.lstrip("/"))
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE) or src.startswith("//"):
        return None  # another site, or data:
    if src.startswith("/"):
        return Path(content_root, src.lstrip("/"))
    return Path(os.path.dirname(source_path), src)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when it cannot be read."""
    try:
        if path.suffix.lower() == ".svg":
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
            tag = re.search(r"<svg\b[^>]*>", head)
            if not tag:
                return None
            attrs = dict(_attributes("<img" + tag.group(0)[4:]))
            w, h = attrs.get("width"), attrs.get("height")
            if w and h and SVG_LENGTH_RE.match(w) and SVG_LENGTH_RE.match(h):
                return (round(float(SVG_LENGTH_RE.match(w).group(1))),
                        round(float(SVG_LENGTH_RE.match(h).group(1))))
            box = (attrs.get("viewbox") or "").replace(",", " ").split()
            if len(box) == 4:
                return round(float(box[2])), round(float(box[3]))
            return None
        from PIL import Image

        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError):
        return None


def lazy_images(markup: str, source_path: str, content_root: str,
                problems: list[str] | None = None) -> str:
    """Dimensions and lazy loading for the images of one content's HTML."""
    count = 0

    def fix(match: re.Match) -> str:
        nonlocal count
        count += 1
        attrs = _attributes(match.group(0))
        names = {name for name, _ in attrs}
        src = dict(attrs).get("src") or ""
        if not ({"width", "height"} <= names):
            path = local_file(src, source_path, content_root) if src else None
            size = image_size(path) if path is not None and path.is_file() else None
            if size:
                attrs = [(n, v) for n, v in attrs if n not in ("width", "height")]
                attrs += [("width", str(size[0])), ("height", str(size[1]))]
            elif problems is not None and (path is None or path.is_file()):
                problems.append(src)  # a missing file: the editorial plugin names it
        if count > 1:
            if "loading" not in names:
                attrs.append(("loading", "lazy"))
            if "decoding" not in names:
                attrs.append(("decoding", "async"))
        return _serialise(attrs)

    return IMG_RE.sub(fix, markup)


def process_images(instance):
    markup = getattr(instance, "_content", None)
    if not markup or "<img" not in markup.lower():
        return
    problems: list[str] = []
    instance._content = lazy_images(markup, instance.source_path,
                                    instance.settings["PATH"], problems)
    for src in problems:
        record_problem(instance.settings, instance.source_path, None,
                       f"image « {src} » : largeur et hauteur inconnues ; ajoutez "
                       '{width="…" height="…"} après l\'image (en pixels)')


def register():
    signals.content_object_init.connect(process_images)
