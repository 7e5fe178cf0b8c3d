"""Which image files may be published, and why not (pure: files in, French out).

* formats: JPEG, PNG, WebP, GIF and SVG only (what every browser shows);
  anything else (HEIC from a phone, TIFF or BMP from a scanner, PSD…) is
  refused with the conversion to make;
* a raster file is opened with Pillow and decoded whole: a truncated or
  damaged file is refused (never « ajoutez {width height} »);
* size: above ``MAX_PIXELS`` (a 200-megapixel scan) the image is refused
  with the fix (export it smaller), before Pillow decodes it;
* SVG: no reference to another host (``href``, ``xlink:href``, ``url()``,
  ``@import``, fonts): the site's Content-Security-Policy would block it,
  and the reader's browser would call that host.

``problem(path)`` returns the French problem (without file and line: the
caller adds them) or None.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

# The formats a page may show, by file extension.
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
ACCEPTED = (*RASTER, ".svg")
# Above this, an image is a scan or a poster, not a web picture (a 48-megapixel
# phone photo passes). Pillow's own alarm is at 89 megapixels.
MAX_PIXELS = 80_000_000
FIX_FORMAT = {
    ".heic": "convertissez cette photo HEIC en JPEG (sur iPhone : Réglages > Appareil photo "
             "> Formats > « Le plus compatible », ou exportez-la en JPEG)",
    ".heif": "convertissez cette photo HEIF en JPEG",
    ".avif": "convertissez cette image AVIF en JPEG ou en WebP",
    ".tif": "convertissez ce fichier TIFF en JPEG (photo) ou en PNG (schéma)",
    ".tiff": "convertissez ce fichier TIFF en JPEG (photo) ou en PNG (schéma)",
    ".bmp": "convertissez ce fichier BMP en PNG",
    ".psd": "exportez ce fichier Photoshop en JPEG (photo) ou en PNG (schéma)",
    ".raw": "exportez cette photo brute en JPEG",
    ".pdf": "un PDF n'est pas une image : déposez-le dans content/documents/ et faites-en "
            "un lien, ou exportez la page voulue en PNG",
}
ACCEPTED_SENTENCE = "formats acceptés : JPEG, PNG, WebP, GIF, SVG"
# An SVG reference to anything but the file itself (#id) or a data: URI.
SVG_REMOTE = re.compile(
    r"""(?:(?:xlink:)?href\s*=\s*["']\s*(?!#|data:)(?P<href>[^"']+))"""
    r"""|(?:url\(\s*["']?\s*(?!#|data:)(?P<url>[^)"'\s]+))"""
    r"""|(?:@import\s+(?:url\(\s*)?["']?(?P<import>[^"')\s;]+))""",
    re.IGNORECASE)


def format_problem(path: Path) -> str | None:
    """The problem of a file whose extension is not a web image format."""
    suffix = path.suffix.lower()
    if suffix in ACCEPTED:
        return None
    fix = FIX_FORMAT.get(suffix)
    if fix is None:
        kind = suffix.lstrip(".").upper() or "sans extension"
        fix = f"convertissez ce fichier ({kind}) en JPEG (photo) ou en PNG (schéma)"
    return f"le format de ce fichier n'est pas affiché par les navigateurs ; {fix} ({ACCEPTED_SENTENCE})"


def svg_problem(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "le fichier ne peut pas être lu ; déposez-le à nouveau"
    if "<svg" not in text.lower():
        return ("ce fichier n'est pas un SVG ; réenregistrez-le en SVG depuis le logiciel "
                "de dessin, ou exportez-le en PNG")
    match = SVG_REMOTE.search(text)
    if match:
        target = next(v for v in match.groupdict().values() if v)
        return (f"ce SVG appelle « {target[:60]} » (un autre fichier ou un autre site : police, "
                "image, feuille de style), que le site bloque ; vectorisez le texte "
                "(« convertir en tracés ») et incorporez les images dans le SVG, ou exportez-le "
                "en PNG")
    return None


def raster_problem(path: Path, max_pixels: int = MAX_PIXELS) -> str | None:
    """Open and decode the file with Pillow; a damaged or oversized one is refused."""
    from PIL import Image

    expected = RASTER[path.suffix.lower()]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > max_pixels:
                    return too_big(image.width, image.height, max_pixels)
                if image.format != expected:
                    return (f"ce fichier est en réalité une image {image.format}, pas "
                            f"{expected} ; réenregistrez-le en {expected} ou renommez-le "
                            f"avec l'extension de son format")
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return too_big(None, None, max_pixels)
    except (OSError, ValueError, SyntaxError):
        return ("le fichier est incomplet ou abîmé (il ne s'ouvre pas en entier) ; "
                "déposez à nouveau l'original, ou réenregistrez-le en JPEG ou PNG")
    return None


def too_big(width, height, max_pixels) -> str:
    size = f"{width} × {height} pixels" if width else "plus de 89 millions de pixels"
    return (f"l'image est trop grande ({size} ; au plus {max_pixels // 1_000_000} millions) ; "
            "exportez-la en 3000 pixels de large au plus (une page web n'affiche pas plus de "
            "1200 pixels)")


def problem(path: Path, max_pixels: int = MAX_PIXELS) -> str | None:
    """Why this image file may not be published, or None."""
    found = format_problem(path)
    if found:
        return found
    if path.suffix.lower() == ".svg":
        return svg_problem(path)
    return raster_problem(path, max_pixels)
