"""Documents (PDF, office files) linked from bodies: described, and checked.

Editors drop documents in ``content/documents/`` (a static folder: published
as they are) and link them in Markdown, ``[Rapport annuel]({static}/documents/
rapport-2026.pdf)``. At ``content_object_init`` (after the editorial link
check, which names a missing file) each such link gets « (PDF, 1,2 Mo) » in
its text (``links.py``), and a PDF that is not accessible (``inspect.py``:
untagged, no language or no title) without an accessible alternative next to
it is refused with the file, the line, the reason and the fix. A document
outside the published folders is refused (it would be a broken link).

Setting: ``DOCUMENTS_FOLDERS`` (default: the ``STATIC_PATHS`` folders).
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from urllib.parse import unquote

from pelican import signals

from editorial import record_problem, source_text
from sitekit import LINK_PREFIX_RE

from .links import annotate

FIX = ("exportez-le à nouveau en « PDF balisé » (LibreOffice : Fichier > Exporter au format "
       "PDF > « PDF balisé » ; Word : Enregistrer sous > PDF > Options > « Balises de structure "
       "du document »), titre et langue remplis dans les propriétés du document ; ou ajoutez "
       "dans le même paragraphe un lien « version accessible » vers une page ou un document "
       "accessible (voir « Documents » dans docs/guide-redaction.md)")


def resolver(settings, source_path: str):
    root = os.path.abspath(settings["PATH"])

    def resolve(href: str) -> Path | None:
        value = unquote(html.unescape(href)).split("#", 1)[0].split("?", 1)[0]
        match = LINK_PREFIX_RE.match(value)
        if match:
            rel = value[match.end():]
        elif value.startswith("/") and not value.startswith("//"):
            rel = value  # "/documents/a.pdf": the address of a published file
        else:
            return None  # another site, or a relative address
        base = root if rel.startswith("/") else os.path.dirname(source_path)
        return Path(os.path.normpath(os.path.join(base, rel.lstrip("/"))))

    return resolve


def line_of(source_path: str, needle: str) -> int | None:
    try:
        lines = source_text(source_path).splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for candidate in (needle, html.unescape(needle)):
        for number, line in enumerate(lines, 1):
            if candidate in line:
                return number
    return None


def process(instance) -> None:
    markup = getattr(instance, "_content", None)
    if not markup or "<a" not in markup:
        return
    settings = instance.settings
    resolve = resolver(settings, instance.source_path)
    markup, problems = annotate(markup, resolve)
    instance._content = markup
    root = os.path.abspath(settings["PATH"])
    folders = settings.get("DOCUMENTS_FOLDERS") or settings.get("STATIC_PATHS", [])
    for href, problem in problems:
        record_problem(settings, instance.source_path, None,
                       f"document « {href} » : ce PDF n'est pas accessible ({problem}) ; {FIX}",
                       line_of(instance.source_path, href))
    from .links import LINK_RE, is_document

    for m in LINK_RE.finditer(markup):
        path = resolve(m.group("href")) if is_document(m.group("href")) else None
        if path is None or not path.is_file():
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        if not any(rel == f or rel.startswith(f.rstrip("/") + "/") for f in folders):
            record_problem(settings, instance.source_path, None,
                           f"document « {m.group('href')} » : ce dossier n'est pas publié ; "
                           "déposez le document dans content/documents/ et écrivez "
                           "({static}/documents/son-nom.pdf)",
                           line_of(instance.source_path, m.group("href")))


def register():
    signals.content_object_init.connect(process)
