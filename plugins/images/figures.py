"""Photos with a caption and a credit, and galleries, from plain Markdown (pure).

An editor writes an image, then (on the next lines, same paragraph) an
optional ``Légende :`` line and an optional ``Crédit :`` line::

    ![Les participants de la table ronde](images/colloque.jpg)
    Légende : La table ronde du matin, salle des séances.
    Crédit : Jeanne Martin / Département du Val-d'Oise

and gets ``<figure class="photo">`` with the image and a ``<figcaption>``
holding the caption and « © Jeanne Martin / … ». A list whose every item is
such an image (with or without its lines) is a gallery: ``<ul
class="galerie">`` of figures, each image a link to its larger version
(no JavaScript, no carousel).

Works on the HTML Python-Markdown makes (after the images got their final
attributes): ``figures(markup, larger)`` where ``larger(img_tag)`` gives the
address of the larger version of an image, or None.
"""

from __future__ import annotations

import re
from typing import Callable

IMG = r"<img\b[^>]*>"
SIZES = "(min-width: 44rem) 42rem, 100vw"  # an image of the text column (--measure: 42rem)
# A gallery's images show about 14rem wide (theme: .galerie), one per row on a phone.
GALLERY_SIZES = "(min-width: 44rem) 14rem, 100vw"
_SEP = r"(?:\s|&nbsp;|&#160;|\u00a0|\u202f)*"
CAPTION_RE = re.compile(r"^\s*l[ée]gende" + _SEP + ":" + _SEP + r"(?P<text>.*?)\s*$", re.I)
CREDIT_RE = re.compile(r"^\s*cr[ée]dits?" + _SEP + ":" + _SEP + r"(?:©" + _SEP + r")?"
                       r"(?P<text>.*?)\s*$", re.I)
# A paragraph made of one image and, after line breaks, its caption lines.
PARAGRAPH_RE = re.compile(r"<p>\s*(?P<img>" + IMG + r")(?P<rest>(?:\s*(?:<br\s*/?>)?\s*\n[^<\n]"
                          r"(?:[^\n<]|<(?:em|strong|a|/em|/strong|/a|abbr|/abbr)\b[^>]*>)*)*)"
                          r"\s*</p>", re.I)
LIST_RE = re.compile(r"<ul>\s*(?P<items>(?:<li>.*?</li>\s*)+)</ul>", re.I | re.S)
ITEM_RE = re.compile(r"<li>\s*(?:<p>)?\s*(?P<img>" + IMG + r")(?P<rest>(?:(?!</?li\b|</?p\b).)*)"
                     r"\s*(?:</p>)?\s*</li>", re.I | re.S)


def caption_lines(rest: str) -> tuple[str, str] | None:
    """(caption, credit) from the lines after an image; None if a line is something else."""
    caption = credit = ""
    for line in re.split(r"<br\s*/?>|\n", rest):
        if not line.strip():
            continue
        if m := CAPTION_RE.match(line):
            caption = m.group("text")
        elif m := CREDIT_RE.match(line):
            credit = m.group("text")
        else:
            return None
    return caption, credit


def figcaption(caption: str, credit: str) -> str:
    if not caption and not credit:
        return ""
    parts = [caption] if caption else []
    if credit:
        parts.append(f'<span class="photo__credit">©\u00a0{credit}</span>')
    return "<figcaption>" + " ".join(parts) + "</figcaption>"


def _figure(img: str, caption: str, credit: str, link: str | None = None) -> str:
    if link:
        img = img.replace(f'sizes="{SIZES}"', f'sizes="{GALLERY_SIZES}"')
        img = (f'<a class="photo__agrandir" href="{link}">{img}'
               '<span class="visually-hidden"> (photo en grand format)</span></a>')
    return f'<figure class="photo">{img}{figcaption(caption, credit)}</figure>'


def figures(markup: str, larger: Callable[[str], str | None]) -> str:
    """Captioned paragraphs become figures; lists of images become galleries."""

    def paragraph(match: re.Match) -> str:
        lines = caption_lines(match.group("rest"))
        if lines is None or not any(lines):
            return match.group(0)
        return _figure(match.group("img"), *lines)

    def gallery(match: re.Match) -> str:
        items = ITEM_RE.findall(match.group("items"))
        if len(items) < 2 or len(ITEM_RE.findall(match.group("items"))) != \
                match.group("items").count("<li>"):
            return match.group(0)
        parts = []
        for img, rest in items:
            lines = caption_lines(rest)
            if lines is None:
                return match.group(0)
            parts.append(f"<li>{_figure(img, *lines, link=larger(img))}</li>")
        return '<ul class="galerie">\n' + "\n".join(parts) + "\n</ul>"

    markup = LIST_RE.sub(gallery, markup)
    return PARAGRAPH_RE.sub(paragraph, markup)
