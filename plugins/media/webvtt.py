"""A strict reader of WebVTT caption files (the W3C format of <track>).

Pure: text in, cues or a French error out. Stricter than browsers, which
skip what they cannot read: a caption the reader never sees is a fault the
editor must know about. Checked: the ``WEBVTT`` signature, every timing line
(``00:01.000 --> 00:04.500``, hours optional, minutes and seconds below 60,
three decimals), an end after its start, cues in start order, no empty cue,
and no cue left as ``prepare`` wrote it (``PLACEHOLDER``). NOTE, STYLE and
REGION blocks are allowed and ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: The text of the cues ``python -m media prepare`` writes for the editor to replace.
PLACEHOLDER = "À ÉCRIRE"
TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING = re.compile(rf"^{TIMESTAMP}[ \t]+-->[ \t]+{TIMESTAMP}(?:[ \t]+(.*))?$")
SIGNATURE = re.compile(r"^WEBVTT(?:[ \t].*)?$")
TAG = re.compile(r"<[^>]*>")
VOICE = re.compile(r"^<v(?:\.[^ \t>]+)*[ \t]+([^>]+)>")


class VttError(ValueError):
    """The file is not valid WebVTT; ``line`` is the line of the file (1-based)."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"ligne {line} : {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str  # the payload, tags kept (one string, lines joined by \n)
    line: int  # the timing line in the file

    @property
    def speaker(self) -> str:
        match = VOICE.match(self.text)
        return match[1].strip() if match else ""

    @property
    def plain(self) -> str:
        """The words, without tags or line breaks."""
        text = TAG.sub("", self.text).replace("&lt;", "<").replace("&gt;", ">")
        return " ".join(text.replace("&amp;", "&").replace("&nbsp;", "\u00a0").split())


def seconds(groups) -> float:
    hours, minutes, secs, millis = groups
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def format_time(value: float) -> str:
    """A WebVTT timestamp, hours always written: 00:01:02.500."""
    millis = max(0, round(value * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _blocks(lines: list[str]):
    """(first line number, lines) of each block separated by blank lines."""
    block, start = [], 0
    for number, line in enumerate(lines, 1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def parse(text: str) -> list[Cue]:
    """The cues of a WebVTT file, or ``VttError`` naming the first fault."""
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise VttError(1, "le fichier contient un caractère nul (ce n'est pas du texte)")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not SIGNATURE.match(lines[0]):
        raise VttError(1, "la première ligne doit être « WEBVTT »")
    if len(lines) > 1 and lines[1].strip() and "-->" in lines[1]:
        raise VttError(2, "une ligne vide doit suivre « WEBVTT »")
    cues: list[Cue] = []
    blocks = list(_blocks(lines))
    for start, block in blocks[1:] if blocks and blocks[0][0] == 1 else blocks:
        head = block[0].split(None, 1)[0] if block[0].split() else ""
        if head in ("NOTE", "STYLE", "REGION") and "-->" not in block[0]:
            continue
        if "-->" in block[0]:
            timing_at = 0
        elif len(block) > 1 and "-->" in block[1]:
            timing_at = 1  # an identifier, then the timing
        else:  # no timing: blame the line that looks like one
            timing_at = 0 if len(block) == 1 or re.match(r"^\s*\d+:", block[0]) else 1
        number = start + timing_at
        match = TIMING.match(block[timing_at].strip())
        if not match:
            raise VttError(number, "horaire illisible (attendu « 00:00:01.000 --> 00:00:04.000 »)")
        begin, end = seconds(match.groups()[0:4]), seconds(match.groups()[4:8])
        if end <= begin:
            raise VttError(number, "la fin du sous-titre n'est pas après son début")
        if cues and begin < cues[-1].start:
            raise VttError(number, "les sous-titres ne sont pas dans l'ordre du temps")
        payload = "\n".join(block[timing_at + 1:])
        if any("-->" in line for line in block[timing_at + 1:]):
            raise VttError(number, "il manque une ligne vide entre deux sous-titres")
        cue = Cue(begin, end, payload, number)
        if not cue.plain:
            raise VttError(number, "sous-titre sans texte")
        if PLACEHOLDER in cue.plain:
            raise VttError(number, f"sous-titre encore « {PLACEHOLDER} » : écrivez ce qui est dit")
        cues.append(cue)
    if not cues:
        raise VttError(1, "aucun sous-titre dans le fichier")
    return cues


def template(spans: list[tuple[float, float]]) -> str:
    """An empty caption file with these cue times (``prepare``)."""
    out = ["WEBVTT", "", "NOTE Remplacez chaque « À ÉCRIRE » par ce qui est dit "
           "(et le nom de qui parle : <v Nom>).", ""]
    for begin, end in spans:
        out += [f"{format_time(begin)} --> {format_time(end)}", PLACEHOLDER, ""]
    return "\n".join(out)
