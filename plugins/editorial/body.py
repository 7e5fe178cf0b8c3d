"""Checks of a file's text (pure: no Pelican): what Markdown would publish
broken without a word. Each returns ``(line, message)`` pairs.

* ``control_characters``: a pasted invisible control character (NUL,
  backspace…): no feed or page could carry it;
* ``body_problems``: an unclosed HTML comment (the rest of the page would
  vanish), headings (a second level-1 title, a first heading deeper than
  ``##``, a heading with no letter), a table row with more cells than the
  header (Markdown drops them), an undefined reference link ``[plan][x]``
  (published as brackets), an empty text.

``source`` is the text after the header, header lines blanked (line numbers
are the file's); ``html`` is what Python-Markdown made of it.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

# C0 controls but tab, line feed, carriage return and form feed; DEL; C1.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
REFERENCE_RE = re.compile(r"\[([^\[\]\n]+)\]\[([^\[\]\n]*)\]")
HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
VERBATIM = {"code", "pre", "kbd", "samp"}


def control_characters(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        match = CONTROL_RE.search(line.rstrip("\r"))
        if match:
            code = ord(match.group())
            found.append((number, (
                f"caractère de contrôle invisible U+{code:04X} (colonne {match.start() + 1}), "
                "sans doute collé avec le texte ; supprimez-le (effacez et retapez les "
                "caractères autour de cet endroit)")))
    return found


def _outside_code(source: str) -> list[tuple[int, str]]:
    """(line number, line) of the text outside fenced and indented code, with
    inline code spans blanked."""
    lines, fence = [], None
    previous_blank = True
    for number, line in enumerate(source.split("\n"), 1):
        match = FENCE_RE.match(line)
        if fence:
            if match and match.group(1) == fence:
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        if line.startswith(("    ", "\t")) and previous_blank:
            continue
        previous_blank = not line.strip()
        lines.append((number, re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line)))
    return lines


class _Outline(HTMLParser):
    """Headings (level, text) and the text outside code, of rendered HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.text: list[str] = []
        self.images = 0
        self._heading: tuple[int, list[str]] | None = None
        self._verbatim = 0

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
        elif tag in VERBATIM:
            self._verbatim += 1
        elif tag == "img":
            self.images += 1

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading[0], "".join(self._heading[1]).strip()))
            self._heading = None
        elif tag in VERBATIM and self._verbatim:
            self._verbatim -= 1

    def handle_data(self, data):
        if self._heading:
            self._heading[1].append(data)
        if not self._verbatim:
            self.text.append(data)


def _line_of(lines: list[tuple[int, str]], *needles: str) -> int | None:
    for needle in needles:
        for number, line in lines:
            if needle and needle in line:
                return number
    return None


def _heading_line(lines, level: int, text: str) -> int | None:
    for number, line in lines:
        match = HEADING_RE.match(line)
        if match and len(match.group(1)) == level and text in match.group(2):
            return number
    return _line_of(lines, text)


def has_words(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def _heading_problems(outline: _Outline, lines) -> list[tuple[int | None, str]]:
    found = []
    for i, (level, text) in enumerate(outline.headings):
        line = _heading_line(lines, level, text)
        shown = text or "(vide)"
        if level == 1:
            found.append((line, (
                f"intertitre de niveau 1 « # {shown} » : le titre (Title) est le seul titre "
                f"de ce niveau sur la page ; écrivez « ## {shown} »")))
        elif i == 0 and level > 2:
            found.append((line, (
                f"le premier intertitre « {'#' * level} {shown} » est de niveau {level} : "
                "un niveau manquerait aux lecteurs d'écran ; commencez par « ## » (puis "
                "« ### » pour un sous-intertitre)")))
        if not has_words(text):
            found.append((line, (
                f"intertitre « {shown} » sans aucun mot : un lecteur d'écran l'annonce vide ; "
                "écrivez un intertitre en toutes lettres (un emoji peut l'accompagner)")))
    return found


def _cells(row: str) -> int:
    row = re.sub(r"`[^`]*`", "", row.strip())
    row = row.replace("\\|", "")
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return row.count("|") + 1


def _table_problems(lines) -> list[tuple[int, str]]:
    found = []
    for i in range(1, len(lines)):
        number, line = lines[i]
        if "|" not in line and "-" not in line or not SEPARATOR_RE.match(line) or \
                "|" not in line + lines[i - 1][1]:
            continue
        columns = _cells(lines[i - 1][1])
        for row_number, row in lines[i + 1:]:
            if not row.strip() or "|" not in row:
                break
            cells = _cells(row)
            if cells > columns:
                found.append((row_number, (
                    f"ligne de tableau à {cells} cellules pour {columns} colonnes : les "
                    "cellules en trop ne seraient pas publiées ; retirez un « | » en trop, ou "
                    "ajoutez la colonne à la première ligne du tableau")))
    return found


def body_problems(source: str, html: str, required: bool = True) -> list[tuple[int | None, str]]:
    """Problems of one text. ``required``: an empty text is refused."""
    lines = _outside_code(source)
    found: list[tuple[int | None, str]] = []
    for number, line in lines:
        if "<!--" in line:
            rest = "\n".join(text for n, text in lines if n >= number)
            if "-->" not in rest[rest.index("<!--"):]:
                found.append((number, (
                    "commentaire « <!-- » jamais fermé : tout le texte qui suit disparaîtrait "
                    "de la page ; fermez-le par « --> » à la fin de la note")))
            break
    outline = _Outline()
    outline.feed(html or "")
    outline.close()
    found += _heading_problems(outline, lines)
    found += _table_problems(lines)
    text = "".join(outline.text)
    for match in REFERENCE_RE.finditer(text):
        label, ref = match.group(1), match.group(2) or match.group(1)
        found.append((_line_of(lines, match.group(), f"][{ref}]"), (
            f"lien « {match.group()} » : la référence « {ref} » n'est définie nulle part ; "
            f"ajoutez une ligne « [{ref}]: adresse » à la fin du texte, ou écrivez le lien "
            f"« [{label}](adresse) »")))
    if required and not text.strip() and not outline.images:
        found.append((None, ("le texte est vide : rien ne serait publié sous le titre ; "
                             "écrivez le texte après l'en-tête, séparé de lui par une ligne vide")))
    return found
