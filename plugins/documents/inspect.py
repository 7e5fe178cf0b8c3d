"""What a reader must know of a document before opening it (pure: a file in).

``describe(path)`` gives its format (« PDF », « ODT »…), its size in French
(« 1,2 Mo », Babel) and its language when the file says it (PDF ``/Lang``,
OpenDocument and Office ``dc:language``). ``pdf_problems(path)`` lists what
makes a PDF inaccessible (RGAA 13.3), read with pikepdf: not tagged
(``/MarkInfo /Marked`` and a ``/StructTreeRoot``), no document language
(``/Lang``), no title (``/Title`` of the document information or the XMP
``dc:title``), or a file that does not open.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

FORMATS = {".pdf": "PDF", ".odt": "ODT", ".ods": "ODS", ".odp": "ODP", ".docx": "DOCX",
           ".xlsx": "XLSX", ".pptx": "PPTX", ".doc": "DOC", ".xls": "XLS", ".ppt": "PPT",
           ".csv": "CSV", ".zip": "ZIP"}
LANGUAGE_RE = re.compile(r"<dc:language>\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\s*</dc:language>")


@dataclass(frozen=True)
class Document:
    format: str
    size: str
    lang: str | None  # BCP 47 tag, as the file says it


def size_fr(count: int) -> str:
    """« 340 ko », « 1,2 Mo » (1 ko = 1000 octets), with a no-break space."""
    from babel.numbers import format_decimal

    if count >= 1_000_000:
        number, unit = format_decimal(round(count / 1_000_000, 1), "#,##0.#", locale="fr"), "Mo"
    else:
        number, unit = format_decimal(max(1, round(count / 1000)), "#,##0", locale="fr"), "ko"
    return f"{number}\u00a0{unit}"


def language_fr(tag: str) -> str:
    """« anglais » for "en-GB" (Babel's French names of languages)."""
    from babel import Locale

    primary = tag.split("-")[0].lower()
    return Locale("fr").languages.get(primary, tag)


def is_french(tag: str | None) -> bool:
    return not tag or tag.split("-")[0].lower() == "fr"


def pdf_language(path: Path) -> str | None:
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            lang = pdf.Root.get("/Lang")
            return str(lang).strip() or None if lang is not None else None
    except (pikepdf.PdfError, OSError, ValueError):
        return None


def office_language(path: Path) -> str | None:
    member = "meta.xml" if path.suffix.lower() in (".odt", ".ods", ".odp") else "docProps/core.xml"
    try:
        with zipfile.ZipFile(path) as archive:
            text = archive.read(member).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    match = LANGUAGE_RE.search(text)
    return match.group(1) if match else None


def describe(path: Path) -> Document:
    suffix = path.suffix.lower()
    lang = None
    if suffix == ".pdf":
        lang = pdf_language(path)
    elif suffix in (".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx"):
        lang = office_language(path)
    return Document(FORMATS.get(suffix, suffix.lstrip(".").upper()), size_fr(path.stat().st_size),
                    lang)


def pdf_problems(path: Path) -> list[str]:
    """What RGAA 13.3 finds missing in this PDF (empty: accessible as far as a program sees)."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            found = []
            mark = root.get("/MarkInfo")
            marked = mark is not None and bool(mark.get("/Marked", False))
            if not marked or "/StructTreeRoot" not in root:
                found.append("il n'est pas balisé (sa structure : titres, paragraphes, "
                             "tableaux, n'est pas lisible par un lecteur d'écran)")
            if not str(root.get("/Lang", "") or "").strip():
                found.append("sa langue n'est pas indiquée")
            if not _title(pdf):
                found.append("il n'a pas de titre")
            return found
    except pikepdf.PasswordError:
        return ["il est protégé par un mot de passe"]
    except (pikepdf.PdfError, OSError, ValueError):
        return ["il ne s'ouvre pas (fichier abîmé ou qui n'est pas un PDF)"]


def _title(pdf) -> str:
    info = pdf.docinfo.get("/Title") if pdf.trailer.get("/Info") is not None else None
    if info is not None and str(info).strip():
        return str(info).strip()
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            return str(meta.get("dc:title", "") or "").strip()
    except Exception:  # noqa: BLE001 - a damaged XMP packet is only "no title"
        return ""
