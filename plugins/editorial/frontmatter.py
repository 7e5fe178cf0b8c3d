"""The front matter of a Markdown file, read strictly, with line numbers.

Pure functions, no Pelican. Replaces Python-Markdown's ``meta`` extension,
which turns a doubtful header line into body text without a word (a
``Status : draft`` line then publishes the draft).

The header is the first lines of the file, one field per line::

    Title: Le titre
    Date: 2014-06-12

then one blank line, then the text. Rules (each break is a problem with its
line number; the field is still read when its value is clear, so that one
build lists every problem):

* ``Name: value`` exactly: a letter first, then letters, digits, ``_``, ``-``;
  no space (ordinary, non-breaking or narrow) before the colon;
* no space or tab before the name; no line without a colon;
* each field once;
* a blank line before the header, or inside it (followed by more known
  fields), is reported: the fields after it would be lost;
* ``---`` lines around the header (the YAML style) are refused (a YAML
  list ``[routes, travaux]`` would give the tags « [routes » and
  « travaux] »); the fields are still read, to report every problem;
* French field names (``Titre:``, ``Résumé:``, ``Catégorie:``…) are refused
  with the English name to write (``FRENCH_FIELDS``): one spelling per
  field, the one Pelican and the guide use; the value is read under that name.

``decode(raw)`` reads UTF-8 strictly and says where the first bad byte is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

FIELD_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*):(?P<value>.*)$")
SPACED_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s+:(?P<value>.*)$")
LOOSE_RE = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:(?P<value>.*)$")
# A name with accents (Résumé:, Étiquettes:): only to recognise French names.
ACCENTED_RE = re.compile(r"^(?P<key>[^\W\d_][\w-]*(?: [\w-]+)?)\s*:(?P<value>.*)$")
# French names editors may type, and the field to write instead (accents and
# capitals ignored).
FRENCH_FIELDS = {
    "titre": "title", "resume": "summary", "chapo": "summary", "categorie": "category",
    "etiquettes": "tags", "etiquette": "tags", "mots-cles": "tags", "tag": "tags",
    "auteur": "author", "auteurs": "authors", "statut": "status", "modifie": "modified",
    "modification": "modified", "mise-a-jour": "modified", "langue": "lang",
    "commentaires": "comments", "image-alt": "image_alt",
}
YAML_OPEN = "---"
YAML_CLOSE = ("---", "...")


@dataclass(frozen=True)
class Field:
    name: str  # lower case, as Pelican names metadata
    value: str
    line: int


@dataclass
class Header:
    fields: dict[str, Field] = field(default_factory=dict)
    # (line, field or None, French message)
    problems: list[tuple[int, str | None, str]] = field(default_factory=list)
    # The text after the header, header lines blanked (line numbers kept).
    body: str = ""

    def line_of(self, name: str) -> int | None:
        found = self.fields.get(name)
        return found.line if found else None


class NotUtf8(ValueError):
    def __init__(self, line: int, column: int, byte: int):
        self.line, self.column, self.byte = line, column, byte
        super().__init__(
            f"le fichier n'est pas enregistré en UTF-8 : premier caractère illisible ligne "
            f"{line}, colonne {column} (octet 0x{byte:02X}) ; dans votre éditeur, choisissez "
            "« Enregistrer sous » avec l'encodage « UTF-8 » (pas « ANSI » ni « Windows-1252 »), "
            "puis vérifiez les lettres accentuées")


def decode(raw: bytes) -> str:
    """UTF-8 text (a leading byte-order mark is dropped), or NotUtf8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[start:exc.start].decode("utf-8", errors="replace")) + 1
        raise NotUtf8(line, column, raw[exc.start]) from None
    return text[1:] if text.startswith("\ufeff") else text


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def same_words(value: str) -> str:
    """NFC, and every run of spaces (non-breaking ones too) as one space."""
    return " ".join(nfc(value).split())


def _blank(line: str) -> bool:
    return not line.strip()


def parse_header(text: str, known: set[str] | None = None) -> Header:
    """The header of ``text``. ``known``: the field names of this kind of
    content (lower case), used to recognise a header cut by a blank line."""
    lines = text.splitlines()
    header = Header()
    i = 0
    while i < len(lines) and _blank(lines[i]):
        i += 1
    if i and i < len(lines) and _looks_like_field(lines[i], known):
        header.problems.append((1, None, "ligne vide avant l'en-tête : le fichier doit "
                                "commencer directement par « Title: … » ; supprimez les "
                                "lignes vides du début"))
    elif i:
        i = 0
    end_mark = None
    if i < len(lines) and lines[i].strip() == YAML_OPEN:
        header.problems.append((i + 1, None, (
            "en-tête au format YAML (lignes « --- ») : retirez les lignes « --- » et écrivez "
            "une information par ligne, « Nom: valeur », les étiquettes séparées par des "
            "virgules sans crochets ni guillemets (« Tags: routes, travaux »)")))
        i, end_mark = i + 1, YAML_CLOSE
    i = _read_block(lines, i, header, end_mark)
    if end_mark is None:
        i = _read_cut_header(lines, i, header, known)
    header.body = "\n" * i + "\n".join(lines[i:])
    if text.endswith("\n"):
        header.body += "\n"
    return header


def _read_block(lines, i, header, end_mark) -> int:
    """Header lines from i to the first blank line (or the closing ---)."""
    while i < len(lines):
        line = lines[i]
        if end_mark and line.strip() in end_mark:
            return i + 1
        if _blank(line) and not end_mark:
            return i
        if not _blank(line):
            _read_line(line, i + 1, header)
        i += 1
    return i


def _read_cut_header(lines, i, header, known) -> int:
    """A blank line followed by more known fields: the header was cut."""
    j = i
    while j < len(lines) and _blank(lines[j]):
        j += 1
    if j == i or j >= len(lines) or not _looks_like_field(lines[j], known):
        return i
    name = LOOSE_RE.match(lines[j]).group("key").lower()
    header.problems.append((i + 1, None, f"ligne vide dans l'en-tête : le champ « {name} » "
                            f"(ligne {j + 1}) et les suivants seraient lus comme du texte ; "
                            "supprimez cette ligne vide (une seule ligne vide, entre "
                            "l'en-tête et le texte)"))
    return _read_block(lines, j, header, None)


def _looks_like_field(line: str, known: set[str] | None) -> bool:
    match = LOOSE_RE.match(line)
    return bool(match) and (known is None or match.group("key").lower() in known)


def french_name(key: str) -> str | None:
    """The English field for a French field name (Titre, Résumé…), else None."""
    plain = unicodedata.normalize("NFKD", key.strip().lower().replace(" ", "-"))
    return FRENCH_FIELDS.get("".join(c for c in plain if not unicodedata.combining(c)))


def _read_line(line: str, number: int, header: Header) -> None:
    match = FIELD_RE.match(line)
    if not match:
        accented = ACCENTED_RE.match(line)
        if accented and french_name(accented.group("key")):
            match = accented
    if not match:
        match = SPACED_RE.match(line)
        if match:
            key = match.group("key")
            header.problems.append((number, key.lower(), (
                f"espace avant les deux-points : écrivez « {key}: … », sans espace entre "
                "le nom du champ et les deux-points (sinon la ligne serait lue comme du "
                "texte)")))
    if not match and line[:1].isspace():
        loose = LOOSE_RE.match(line)
        what = f"le champ « {loose.group('key').lower()} »" if loose else "cette ligne"
        header.problems.append((number, loose.group("key").lower() if loose else None, (
            f"espace ou tabulation avant {what} : commencez la ligne par le nom du champ "
            "(une information par ligne, sans retrait)")))
        match = loose
    if not match:
        header.problems.append((number, None, (
            "ligne de l'en-tête sans « Nom: valeur » : chaque ligne de l'en-tête est un "
            "champ ; si le texte commence ici, ajoutez une ligne vide avant lui")))
        return
    name = match.group("key").lower()
    english = french_name(name)
    if english:
        header.problems.append((number, english, (
            f"« {match.group('key')}: » est le nom français du champ ; écrivez « "
            f"{english.capitalize()}: » (les noms des champs sont en anglais, voir "
            "docs/guide-redaction.md)")))
        name = english
    if name in header.fields:
        header.problems.append((number, name, (
            f"champ écrit deux fois (lignes {header.fields[name].line} et {number}) ; "
            "gardez une seule ligne")))
        return
    header.fields[name] = Field(name, nfc(match.group("value").strip()), number)
