"""The form of a link address, judged before its target (pure: no Pelican).

``form_problem(tag, value, source, root)`` returns the French message (with
the fix) for an address that would be published broken, else None:

* an address with a space (``http://a.fr/mon fichier.pdf``): the link stops
  at the space in many readers; write ``%20`` or rename the file;
* ``mailto:`` without a valid address (``mailto:routes.valdoise.fr``);
* ``tel:`` that is not a French number (10 digits, ``+33`` and 9 digits, or
  a short number such as 15 or 3939): ``tel:+33134252525``;
* a link by bare file name (``autre-article.md``, ``../articles/a.md``) or
  ``{static}`` to an article or a page: Pelican replaces only
  ``{filename}`` by the page's address; the fix names the right
  ``{filename}/…`` form (found in content/ when the name exists there).
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import unquote

from sitekit import LINK_PREFIX_RE

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
EMAIL_RE = re.compile(r"^[^@\s/:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
FRENCH_PHONE_RE = re.compile(r"^(?:0[1-9]\d{8}|\+33[1-9]\d{8}|0033[1-9]\d{8}|1\d{1,3}|3\d{3})$")


def content_form(path: str, root: str) -> str:
    """``{filename}/articles/a.md`` for a file of content/."""
    return "{filename}/" + os.path.relpath(path, root).replace(os.sep, "/")


def find_in_content(name: str, root: str) -> str | None:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if name in files:
            return os.path.join(folder, name)
    return None


def _markdown_form(value: str, path: str, root: str) -> str:
    name = os.path.basename(path)
    found = path if os.path.isfile(path) else find_in_content(name, root)
    fragment = "#" + value.split("#", 1)[1] if "#" in value else ""
    if found:
        return f"écrivez « {content_form(found, root)}{fragment} »"
    return (f"écrivez « {{filename}}/articles/{name} » (ou /pages/…), avec le nom exact "
            "d'un fichier de content/")


def form_problem(tag: str, value: str, source: str, root: str) -> str | None:
    raw = html.unescape(value)
    shown = " ".join(raw.split())
    lowered = raw.strip().lower()
    if tag == "a" and lowered.startswith("mailto:"):
        address = unquote(raw.strip()[7:].split("?", 1)[0]).strip()
        if not all(EMAIL_RE.match(a.strip()) for a in address.split(",")):
            return (f"lien « {shown} » : « {address} » n'est pas une adresse électronique ; "
                    "écrivez « mailto:nom@domaine.fr » (avec l'arobase @)")
        return None
    if tag == "a" and lowered.startswith("tel:"):
        number = re.sub(r"[\s.\-()\u00a0]", "", unquote(raw.strip()[4:]))
        if not FRENCH_PHONE_RE.match(number):
            return (f"lien « {shown} » : « {raw.strip()[4:]} » n'est pas un numéro de "
                    "téléphone complet ; écrivez les 10 chiffres sans espaces, ou au format "
                    "international : « tel:0134252525 » ou « tel:+33134252525 »")
        if number != unquote(raw.strip()[4:]):
            return (f"lien « {shown} » : écrivez le numéro sans espaces ni points dans "
                    f"l'adresse : « tel:{number} » (le texte du lien peut garder ses espaces)")
        return None
    if tag == "a" and re.search(r"\s", raw.strip()):
        return (f"adresse « {shown} » avec des espaces : le lien serait coupé ; remplacez "
                "chaque espace par « %20 », ou renommez le fichier sans espaces")
    match = LINK_PREFIX_RE.match(raw)
    prefix = match.group(1) if match else ""
    rel = unquote(raw[match.end():] if match else raw).split("#", 1)[0].split("?", 1)[0]
    if tag != "a" or not rel.lower().endswith(MARKDOWN_SUFFIXES) or \
            re.match(r"^[a-z][a-z0-9+.-]*:|^//", rel, re.IGNORECASE):
        return None
    if prefix in ("", "static", "attach"):
        base = root if rel.startswith("/") else os.path.dirname(source)
        path = os.path.normpath(os.path.join(base, rel.lstrip("/")))
        what = (f"« {{{prefix}}} » est pour les images et les documents" if prefix else
                "un lien vers un fichier .md doit commencer par « {filename} »")
        return f"lien « {shown} » : {what} ; {_markdown_form(raw, path, root)}"
    return None
