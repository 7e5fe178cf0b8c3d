"""Spam signals noted when a comment is posted (pure, no I/O).

They never refuse a comment: pre-moderation does. They are kept with the
comment (``Comment.signals``) and shown to moderators in the console, so that
a wave of advertising stands out. Each signal is a key (stored) with a French
label (shown), written here once.
"""

from __future__ import annotations

import re

SIGNALS: dict[str, str] = {
    "lien": "Contient un lien",
    "liens-multiples": "Contient plusieurs liens",
    "nom-avec-lien": "Le nom contient un lien ou une adresse",
    "majuscules": "Écrit surtout en majuscules",
    "repetition": "Caractère répété de nombreuses fois",
    "adresse-electronique": "Contient une adresse électronique",
}
_LINK_RE = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|info|biz|ru|cn|xyz|top|fr)\b")
_EMAIL_RE = re.compile(r"[^\s@]+@[^\s@]+\.[a-z]{2,}", re.IGNORECASE)
_REPEAT_RE = re.compile(r"(.)\1{7,}", re.DOTALL)


def detect(name: str, text: str) -> list[str]:
    """The signal keys that apply to a comment, in a fixed order."""
    found = []
    links = len(_LINK_RE.findall(text))
    if links:
        found.append("lien")
    if links >= 3:
        found.append("liens-multiples")
    if _LINK_RE.search(name) or _EMAIL_RE.search(name):
        found.append("nom-avec-lien")
    letters = "".join(filter(str.isalpha, text))
    if len(letters) >= 20 and sum(map(str.isupper, letters)) > 0.7 * len(letters):
        found.append("majuscules")
    if _REPEAT_RE.search(text):
        found.append("repetition")
    if _EMAIL_RE.search(text):
        found.append("adresse-electronique")
    return found


def label(key: str) -> str:
    return SIGNALS.get(key, key)
