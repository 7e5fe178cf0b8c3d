"""The editors' media syntax, read from the HTML Markdown made of it.

Two forms, both plain Markdown (no HTML):

* a fenced block whose language is ``video``, ``audio`` or ``carte``, one
  ``clé: valeur`` per line (French keys, accents optional)::

      ```video
      titre: Captation du colloque
      fichier: colloque.mp4
      sous-titres: colloque.vtt
      ```

  Python-Markdown renders it as ``<pre><code class="language-video">``: that
  element is what this module finds (``blocks``);
* the watch address of a known video platform alone on its line (a
  paragraph that is only that address: ``bare_urls``).

``locate`` finds each one's line in the Markdown source, for the messages.
Pure: no Pelican, no I/O.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

KINDS = ("video", "audio", "carte")
BLOCK = re.compile(r'<pre><code class="language-(video|audio|carte)">(.*?)</code></pre>', re.S)
BARE_URL = re.compile(r"<p>(https?://[^\s<>\"]+)</p>")
FENCE = re.compile(r"^\s{0,3}(?:`{3,}|~{3,})\s*\{?\s*\.?(video|audio|carte)\s*\}?\s*$", re.I)
KEY_LINE = re.compile(r"^\s*([^:]+?)\s*:\s*(.*?)\s*$")

#: The keys each kind accepts (normalised: lower case, no accents).
KEYS = {
    "video": ("titre", "fichier", "url", "sous-titres", "transcription", "affiche",
              "audiodescription", "duree"),
    "audio": ("titre", "fichier", "sous-titres", "transcription"),
    "carte": ("titre", "adresse", "latitude", "longitude"),
}


@dataclass
class Block:
    kind: str
    values: dict[str, str] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)  # offset from the fence
    errors: list[tuple[int, str]] = field(default_factory=list)  # (offset, message)
    html: str = ""  # the rendered <pre> this block replaces


def normalise(key: str) -> str:
    decomposed = unicodedata.normalize("NFKD", key.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "-")


def read_block(kind: str, text: str) -> Block:
    block = Block(kind)
    for offset, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = KEY_LINE.match(line)
        if not match:
            block.errors.append((offset, f"ligne « {line.strip()} » illisible : écrivez "
                                 "« clé: valeur » (par exemple « titre: … »)"))
            continue
        key = normalise(match[1])
        if key not in KEYS[kind]:
            block.errors.append((offset, f"clé « {match[1].strip()} » inconnue dans un bloc "
                                 f"{kind} ; clés possibles : {', '.join(KEYS[kind])}"))
            continue
        if key in block.values:
            block.errors.append((offset, f"clé « {key} » écrite deux fois ; gardez-en une"))
            continue
        block.values[key] = match[2]
        block.key_lines[key] = offset
    return block


def blocks(body: str) -> list[Block]:
    """The media blocks of a rendered body, in order."""
    found = []
    for match in BLOCK.finditer(body):
        block = read_block(match[1], html.unescape(match[2]))
        block.html = match[0]
        found.append(block)
    return found


def bare_urls(body: str) -> list[tuple[str, str]]:
    """(paragraph HTML, address) for each paragraph that is one address."""
    return [(m[0], html.unescape(m[1])) for m in BARE_URL.finditer(body)]


def fence_lines(source: list[str]) -> list[int]:
    """1-based lines of the media fences of a Markdown source, in order."""
    return [n for n, line in enumerate(source, 1) if FENCE.match(line)]


def url_line(source: list[str], url: str) -> int | None:
    for number, line in enumerate(source, 1):
        if line.strip() == url:
            return number
    return None


DURATION_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
DURATION_WORDS = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*min)?\s*(?:(\d+)\s*s)?$")


def parse_duration(text: str) -> float | None:
    """Seconds from « 3:12 », « 1:02:03 » or « 1 h 5 min 12 s »; None if unreadable."""
    text = text.strip().lower().replace("\u00a0", " ")
    match = DURATION_CLOCK.match(text)
    if match:
        return int(match[1] or 0) * 3600 + int(match[2]) * 60 + int(match[3])
    match = DURATION_WORDS.match(text)
    if text and match and any(match.groups()):
        hours, minutes, secs = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + secs
    return None


def duration_fr(value: float) -> str:
    """« 42 s », « 3 min 12 s », « 1 h 05 min » (no-break spaces)."""
    total = max(1, round(value))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}\u00a0h\u00a0{minutes:02d}\u00a0min"
    if minutes:
        return f"{minutes}\u00a0min\u00a0{secs:02d}\u00a0s" if secs else f"{minutes}\u00a0min"
    return f"{secs}\u00a0s"


def duration_iso(value: float) -> str:
    """An ISO 8601 duration for <time datetime>: PT3M12S."""
    total = max(1, round(value))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + \
        (f"{secs}S" if secs or total < 60 else "")


def size_fr(size: int) -> str:
    """« 812 Ko », « 1,2 Mo » (decimal units, French comma)."""
    if size < 1000:
        return f"{size}\u00a0octets"
    if size < 1_000_000:
        return f"{round(size / 1000)}\u00a0Ko"
    return f"{size / 1_000_000:.1f}".replace(".", ",") + "\u00a0Mo"
