"""Links to documents: format, size and language in the link text (pure).

``annotate(markup, resolve)`` finds every ``<a href>`` whose target is a
document (``inspect.FORMATS``) that ``resolve(href)`` finds in content/, and
appends « (PDF, 1,2 Mo) » to its text (« (PDF, 1,2 Mo, en anglais) » and
``hreflang`` when the file says it is not in French). A format and size
typed by hand after the text are replaced by the real ones. A PDF that
``inspect.pdf_problems`` faults needs an accessible alternative in the same
paragraph or list item: another link whose text says « version accessible »
(a page of the site or another document); else it is returned as a problem.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Callable

from .inspect import FORMATS, describe, is_french, language_fr, pdf_problems

LINK_RE = re.compile(r"<a\b(?P<attrs>[^>]*?)\shref=(?P<q>[\"'])(?P<href>[^\"']*)(?P=q)"
                     r"(?P<after>[^>]*)>(?P<text>.*?)</a>", re.I | re.S)
TYPED_RE = re.compile(r"\s*\((?:" + "|".join(f.lower() for f in FORMATS.values()) +
                      r")\b[^)]*\)\s*$", re.I)
ALTERNATIVE = "version accessible"
BLOCK_START = re.compile(r"<(?:p|li|dd|td)\b", re.I)
BLOCK_END = re.compile(r"</(?:p|li|dd|td)>", re.I)


def is_document(href: str) -> bool:
    path = html.unescape(href).split("#", 1)[0].split("?", 1)[0]
    return Path(path).suffix.lower() in FORMATS


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def has_alternative(markup: str, start: int, end: int) -> bool:
    """Another link in the same block whose text says « version accessible »."""
    opened = [m.end() for m in BLOCK_START.finditer(markup, 0, start)]
    begin = opened[-1] if opened else 0
    closing = BLOCK_END.search(markup, end)
    stop = closing.start() if closing else len(markup)
    for m in LINK_RE.finditer(markup, begin, stop):
        if m.start() != start and ALTERNATIVE in _text(m.group("text")).lower():
            return True
    return False


def annotate(markup: str, resolve: Callable[[str], Path | None]) -> tuple[str, list[tuple[str, str]]]:
    """(markup with document links described, [(href, problem)])."""
    problems: list[tuple[str, str]] = []
    out, last = [], 0
    for m in LINK_RE.finditer(markup):
        href = m.group("href")
        if not is_document(href):
            continue
        path = resolve(href)
        if path is None or not path.is_file():
            continue  # another site, or a missing file (the editorial check names it)
        text = m.group("text")
        if path.suffix.lower() == ".pdf" and ALTERNATIVE not in _text(text).lower():
            faults = pdf_problems(path)
            if faults and not has_alternative(markup, m.start(), m.end()):
                problems.append((href, "; ".join(faults)))
        doc = describe(path)
        details = [doc.format, doc.size]
        attrs = m.group("attrs") + m.group("after")
        if not is_french(doc.lang):
            details.append("en " + language_fr(doc.lang))
            if "hreflang" not in attrs.lower():
                attrs += f' hreflang="{html.escape(doc.lang)}"'
        text = TYPED_RE.sub("", text)
        out.append(markup[last:m.start()])
        out.append(f'<a{attrs} href="{href}">{text} ({", ".join(details)})</a>')
        last = m.end()
    out.append(markup[last:])
    return "".join(out), problems
