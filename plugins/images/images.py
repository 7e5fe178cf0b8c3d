"""Body images: checked, made responsive, sized, lazy after the first.

For the images of every article, page and event body (``content_object_init``,
after the editorial link check and the typography):

* refused, with the file, the line and the fix (``checks.py``): a format
  browsers do not show (HEIC, TIFF…), a damaged or oversized file, an SVG
  calling another host, an image from another site, an image without a text
  alternative (``![](…)`` or ``<img>`` without ``alt``; a decorative image is
  written ``![image décorative](…)`` and gets ``alt=""``), a width that is
  not a number of pixels;
* a JPEG, PNG or WebP gets its derivatives (``derive.py``): ``src`` is the
  fallback at the default width, ``srcset`` the WebP widths, ``sizes`` the
  column's width, ``width``/``height`` its proportions; GIF and SVG are served
  as they are, with their dimensions (a space in their name is encoded);
* every image after the first gets ``loading="lazy"`` and
  ``decoding="async"`` (the first may be in view when the page opens);
* photos with caption and credit, and galleries (``figures.py``);
* the images of a page weigh at most ``IMAGES_PAGE_LIMIT_KB`` at the default
  width, else the page is refused with its weight.

The derivatives a content uses ride on it (``image_files``) and are copied
into the output when its page is written (``content_written``); the
published originals lose their metadata at the end (``clean.py``).

Settings: ``IMAGES_CACHE_PATH`` (default: ``images`` beside Pelican's cache),
``IMAGES_PAGE_LIMIT_KB`` (500), ``IMAGES_MAX_PIXELS`` (``checks.MAX_PIXELS``).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote

from pelican import signals

from editorial import record_problem, source_text
from sitekit import LINK_PREFIX_RE, content_link

from . import checks, clean, derive, figures

IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
SVG_LENGTH_RE = re.compile(r"^\s*([0-9.]+)\s*(px)?\s*$")
PIXELS_RE = re.compile(r"^\s*(\d{1,5})\s*(?:px)?\s*$", re.IGNORECASE)
DECORATIVE = {"image décorative", "image decorative", "décorative", "decorative"}
PAGE_LIMIT_KB = 500
STATS_KEY = "_IMAGES_STATS"
ALT_FIX = ("écrivez ce que montre l'image entre les crochets : ![description](…) ; si elle est "
           "purement décorative, écrivez ![image décorative](…)")


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
    src = unquote(src.split("?", 1)[0].split("#", 1)[0])
    match = LINK_PREFIX_RE.match(src)
    if match:
        rel = src[match.end():]
        base = content_root if rel.startswith("/") else os.path.dirname(source_path)
        return Path(os.path.normpath(os.path.join(base, rel.lstrip("/"))))
    if is_remote(src) or src.lower().startswith("data:"):
        return None
    if src.startswith("/"):
        return Path(content_root, src.lstrip("/"))
    return Path(os.path.normpath(os.path.join(os.path.dirname(source_path), src)))


def is_remote(src: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", src.strip(), re.IGNORECASE))


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


class Page:
    """One content's images as they are processed: problems, files, weight."""

    def __init__(self, settings, source_path: str, stats: dict | None = None):
        self.settings = settings
        self.source_path = source_path
        self.root = settings["PATH"]
        self.cache = Path(cache_path(settings))
        self.max_pixels = settings.get("IMAGES_MAX_PIXELS", checks.MAX_PIXELS)
        self.stats = stats
        self.problems: list[tuple[str, str]] = []  # (needle in the source, message)
        self.files: list[tuple[str, str]] = []  # (cache file, output path)
        self.weight = 0
        self.larger: dict[str, str] = {}  # final src -> larger version
        self.count = 0
        try:
            self.lines = source_text(source_path).splitlines()
        except (OSError, UnicodeDecodeError):
            self.lines = []

    def url(self, name: str) -> str:
        return f"{self.settings.get('SITEURL', '')}/{derive.FOLDER}/{name}"

    def own_address(self, src: str) -> str:
        """An absolute address of this site itself ("https://site/images/a.png"),
        as other plugins write them in production, read as "/images/a.png"."""
        for base in (self.settings.get("SITEURL"), self.settings.get("SITE_ABSOLUTE_URL")):
            if base and is_remote(base) and src.startswith(base.rstrip("/") + "/"):
                return src[len(base.rstrip("/")):]
        return src

    def refuse(self, src: str, message: str) -> None:
        self.problems.append((src, f"image « {src} » : {message}"))

    def image(self, match: re.Match) -> str:
        self.count += 1
        attrs = dict(_attributes(match.group(0)))
        src = attrs.get("src") or ""
        if not self._alt(attrs, src):
            return match.group(0)
        src = self.own_address(src)
        if is_remote(src):
            self.refuse(src, "une image d'un autre site ne s'affiche pas (le site bloque les "
                        "autres sites) ; si vous avez le droit de l'utiliser, téléchargez-la "
                        "dans content/images/ et écrivez ({static}/images/son-nom.jpg)")
            return match.group(0)
        path = local_file(src, self.source_path, self.root) if src else None
        if path is None or not path.is_file() \
                or not path.resolve().is_relative_to(Path(self.root).resolve()):
            return match.group(0)  # missing or outside content/: the editorial plugin names it
        problem = checks.problem(path, self.max_pixels)
        if problem:
            self.refuse(src, problem)
            return match.group(0)
        width = self._width(attrs, src)
        if width is False:
            return match.group(0)
        if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
            try:
                self._responsive(attrs, path, width)
            except (OSError, ValueError) as exc:  # the cache folder: full disk, rights
                self.refuse(src, "ses versions légères n'ont pas pu être fabriquées "
                            f"({exc.__class__.__name__} : {exc}) ; relancez la publication, "
                            "puis prévenez l'équipe technique si cela recommence")
                return match.group(0)
        else:
            self._as_is(attrs, path, src, width)
        if self.count > 1:
            attrs.setdefault("loading", "lazy")
            attrs.setdefault("decoding", "async")
        return _serialise(list(attrs.items()))

    def _alt(self, attrs: dict, src: str) -> bool:
        alt = attrs.get("alt")
        if alt is not None and alt.strip().lower() in DECORATIVE:
            attrs["alt"] = ""
            return True
        written_empty = alt == "" and any("![](" in line and src in line for line in self.lines)
        if alt is None:  # a raw <img>: plugins/htmlpolicy refuses it, with the fix for HTML
            return False
        if written_empty:
            self.refuse(src, "texte de remplacement (alternative) manquant ; " + ALT_FIX)
            return False
        return True

    def _width(self, attrs: dict, src: str):
        """The editor's display width in pixels, None if not given, False if refused."""
        if "height" in attrs and "width" not in attrs:
            del attrs["height"]
        if "width" not in attrs:
            attrs.pop("height", None)
            return None
        match = PIXELS_RE.match(attrs.get("width") or "")
        if not match or int(match.group(1)) == 0:
            self.refuse(src, f"largeur « {attrs.get('width')} » incomprise ; écrivez un nombre "
                        'de pixels, par exemple {width="400"}, ou retirez-la')
            return False
        del attrs["width"]
        attrs.pop("height", None)
        return int(match.group(1))

    def _responsive(self, attrs: dict, path: Path, width: int | None) -> None:
        made = derive.derive(path, self.cache, self.stats)
        for variant in made.variants:
            self.files.append((str(self.cache / made.digest / variant.name),
                               f"{derive.FOLDER}/{variant.name}"))
        fallback = made.fallback
        shown = min(width or fallback.width, made.width)
        attrs["src"] = self.url(fallback.name)
        attrs["srcset"] = ", ".join(f"{self.url(v.name)} {v.width}w" for v in made.webp)
        attrs["sizes"] = (figures.SIZES if width is None
                          else f"(min-width: {shown}px) {shown}px, 100vw")
        attrs["width"] = str(shown)
        attrs["height"] = str(max(1, round(made.height * shown / made.width)))
        self.weight += made.default.bytes
        self.larger[attrs["src"]] = self.url(made.largest.name)

    def _as_is(self, attrs: dict, path: Path, src: str, width: int | None) -> None:
        size = image_size(path)
        if size is None:
            self.refuse(src, "largeur et hauteur illisibles dans le fichier ; réenregistrez-le "
                        "(pour un SVG : avec ses attributs width et height ou viewBox)")
            return
        shown = width or size[0]
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        if " " in rel and not rel.startswith(".."):
            # Pelican's {static} would write the space back: the address is made here.
            attrs["src"] = f"{self.settings.get('SITEURL', '')}/{quote(rel)}"
        attrs["width"] = str(shown)
        attrs["height"] = str(max(1, round(size[1] * shown / size[0])))
        self.weight += path.stat().st_size

    def line(self, needle: str) -> int | None:
        for number, text in enumerate(self.lines, 1):
            if needle and needle in text:
                return number
        return None


def cache_path(settings) -> str:
    explicit = settings.get("IMAGES_CACHE_PATH")
    if explicit:
        return explicit
    base = Path(settings.get("CACHE_PATH") or "cache")
    if base.name.startswith("regles-"):  # the editorial plugin's folder per set of rules
        base = base.parent
    return str(base / "images")


def process(markup: str, settings, source_path: str, stats: dict | None = None) -> tuple[str, Page]:
    page = Page(settings, source_path, stats)
    markup = IMG_RE.sub(page.image, markup)
    markup = figures.figures(markup, lambda img: page.larger.get(
        dict(_attributes(img)).get("src") or ""))
    limit = settings.get("IMAGES_PAGE_LIMIT_KB", PAGE_LIMIT_KB)
    if page.weight > limit * 1000:
        page.problems.append(("", f"les images de cette page pèsent {page.weight // 1000} ko "
                              f"pour un lecteur (au plus {limit} ko) ; retirez des images, ou "
                              "répartissez-les sur plusieurs pages"))
    return markup, page


def process_images(instance):
    markup = getattr(instance, "_content", None)
    if not markup or "<img" not in markup.lower():
        return
    settings = instance.settings
    stats = settings.setdefault(STATS_KEY, {"made": 0})
    instance._content, page = process(markup, settings, instance.source_path, stats)
    instance.image_files = page.files
    for needle, message in page.problems:
        record_problem(settings, instance.source_path, None, message, page.line(needle))


def copy_files(path, context):
    """content_written: the derivatives of the content just written go beside it."""
    for key in ("article", "page", "event"):
        obj = context.get(key) if isinstance(context, dict) else None
        files = getattr(obj, "image_files", None)
        if not files:
            continue
        save_as = getattr(obj, "save_as", "") or ""
        root = path[:-len(save_as)] if save_as and path.endswith(save_as) \
            else obj.settings["OUTPUT_PATH"]
        clean.copy_into(root, files)


def check_share_images(generator):
    """article_generator_finalized: an ``Image:`` (the picture shown when the
    article is shared) passes the same file checks as a body image."""
    for article in [*getattr(generator, "articles", []), *getattr(generator, "drafts", [])]:
        value = (getattr(article, "metadata", None) or {}).get("image")
        if not isinstance(value, str) or not value.strip():
            continue
        path = Path(article.settings["PATH"], content_link(value).lstrip("/"))
        if path.is_file():  # a missing file: the seo plugin names it
            problem = checks.problem(path, article.settings.get("IMAGES_MAX_PIXELS",
                                                                checks.MAX_PIXELS))
            if problem:
                record_problem(article.settings, article.source_path, "image",
                               f"fichier « {value} » : {problem}")


def register():
    signals.content_object_init.connect(process_images)
    signals.article_generator_finalized.connect(check_share_images)
    signals.content_written.connect(copy_files)
    signals.finalized.connect(clean.clean_published)
