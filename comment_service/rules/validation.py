"""Validation of a comment submission (pure: no I/O).

The counting rule (mirrored by the browser counter, see docs/comment-service.md):

1. every CRLF pair, then every lone CR, becomes LF;
2. the text is normalised to Unicode NFC;
3. its length is the number of Unicode code points (JavaScript: ``[...s].length``).

The text is stored exactly as it is after steps 1 and 2: no trimming. It is
refused when it is empty or made only of white space, invisible format
characters and blank fillers (Hangul fillers, the braille blank, the combining
grapheme joiner, variation selectors...), when it is longer than the maximum,
or when it contains a control character other than LF and TAB (C0/C1
controls, DEL), a lone surrogate, or the Unicode LINE/PARAGRAPH SEPARATOR
(U+2028, U+2029), which most readers cannot see and which behave unlike a
line break in HTML, Markdown and older JavaScript.

A name follows the same rules on one line, and may not hold an invisible
direction character (embeddings, overrides, isolates, marks: an unclosed
U+202E would reverse what is printed after the name).

``submission_id`` (optional) is 16 to 64 characters of [A-Za-z0-9_-]: the
form's random id that makes a resubmission return the first answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from email_validator import EmailNotValidError, validate_email

from .. import defaults
from . import messages as msg

EMAIL_MAX = 254
FIELDS = ("name", "email", "text", "captcha_token", "captcha_answer", "website", "action", "submission_id", "notify")
NOTIFY_ON = "oui"  # the value of the « Me prévenir par courriel » box
REQUIRED = ("name", "text")
ACTION_REGENERATE = "regenerer"
SUBMISSION_ID_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Characters that show nothing on their own, though neither white space nor
# format characters (category Cf): Hangul fillers, the braille blank, the
# combining grapheme joiner, Khmer inherent vowels, Mongolian and Unicode
# variation selectors.
INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
    + "".join(map(chr, range(0x180B, 0x1810)))
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
# Invisible direction characters: LRM, RLM, ALM, embeddings/overrides, isolates.
DIRECTION_MARKS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Submission:
    """What a visitor sent, normalised. Values are always strings."""

    name: str = ""
    email: str = ""
    text: str = ""
    captcha_token: str = ""
    captcha_answer: str = ""
    website: str = ""
    action: str = ""
    submission_id: str = ""
    notify: str = ""  # NOTIFY_ON when the box was checked


def is_submission_id(value: str) -> bool:
    return SUBMISSION_ID_RE.fullmatch(value) is not None


def normalise_text(text: str) -> str:
    """Line endings to LF, then NFC (steps 1 and 2 of the counting rule)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def count(text: str) -> int:
    """Length under the counting rule: code points after normalise_text()."""
    return len(normalise_text(text))


def _forbidden_in_text(char: str) -> bool:
    if char in "\n\t":
        return False
    if char in "\u2028\u2029":
        return True
    return unicodedata.category(char) in ("Cc", "Cs")


def _forbidden_in_email(char: str) -> bool:
    if char in "\u2028\u2029":
        return True
    return unicodedata.category(char) in ("Cc", "Cs")


def _forbidden_in_name(char: str) -> bool:
    return char in DIRECTION_MARKS or _forbidden_in_email(char)


def _blank(text: str) -> bool:
    return all(c.isspace() or c in INVISIBLE or unicodedata.category(c) == "Cf" for c in set(text))


def coerce_fields(raw: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """Keep the known fields; each must be a string. Returns (values, errors)."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in FIELDS:
        if name not in raw or raw[name] is None and name not in REQUIRED:
            values[name] = ""
            continue
        value = raw[name]
        if not isinstance(value, str):
            errors[name] = msg.NOT_TEXT
            values[name] = ""
        else:
            values[name] = value
    return values, errors


def _text_error(text: str, present: bool, max_length: int) -> str | None:
    if not present:
        return msg.TEXT_MISSING
    if any(_forbidden_in_text(c) for c in set(text)):  # each distinct character once
        return msg.TEXT_CONTROL
    if _blank(text):
        return msg.TEXT_MISSING
    if len(text) > max_length:
        return msg.TEXT_TOO_LONG.format(max=max_length, count=len(text))
    return None


def _name_error(name: str, name_max: int) -> str | None:
    if any(_forbidden_in_name(c) for c in set(name)):
        return msg.NAME_CONTROL
    if _blank(name):
        return msg.NAME_MISSING
    if len(name) > name_max:
        return msg.NAME_TOO_LONG.format(max=name_max, count=len(name))
    return None


def _check_email(email: str) -> tuple[str, str | None]:
    """E-mail: optional, syntax only (never a network look-up), never published."""
    if not email:
        return email, None
    if len(email) > EMAIL_MAX or any(_forbidden_in_email(c) for c in email):
        return email, msg.EMAIL_INVALID
    try:
        return validate_email(email, check_deliverability=False).normalized, None
    except (EmailNotValidError, UnicodeError, ValueError):
        return email, msg.EMAIL_INVALID


# The message for a field that held a lone surrogate (see httpio.Body.invalid).
_INVALID_TEXT = {"text": msg.TEXT_CONTROL, "name": msg.NAME_CONTROL, "email": msg.EMAIL_INVALID,
                 "website": msg.HONEYPOT, "submission_id": msg.SUBMISSION_ID_INVALID}


def validate(
    raw: Mapping[str, object], *, max_length: int = defaults.MAX_LENGTH, name_max: int = defaults.NAME_MAX,
    invalid: frozenset[str] | set[str] = frozenset(),
) -> tuple[Submission, dict[str, str]]:
    """Validate the fields of a submission (captcha excluded).

    Returns the normalised submission (every field a string, usable to show
    the form again) and a mapping from field name to one French message.
    ``invalid`` names fields whose value held a lone surrogate (already
    replaced by U+FFFD): they are refused with their field's message.
    """
    values, errors = coerce_fields(raw)
    text = normalise_text(values["text"])
    name = unicodedata.normalize("NFC", values["name"]).strip()
    email, email_error = _check_email(values["email"].strip())
    submission_id = values["submission_id"].strip()
    checks = {
        "text": lambda: _text_error(text, "text" in raw, max_length),
        "name": lambda: _name_error(name, name_max),
        "email": lambda: email_error,
        # Honeypot: a field hidden from people; robots fill it in.
        "website": lambda: msg.HONEYPOT if values["website"] else None,
        "submission_id": lambda: None if not submission_id or is_submission_id(submission_id)
        else msg.SUBMISSION_ID_INVALID,
    }
    notify = NOTIFY_ON if values["notify"].strip() else ""
    if notify and not email and "email" not in errors:  # the box needs an address
        checks["email"] = lambda: email_error or msg.NOTIFY_NEEDS_EMAIL
    for field_name, check in checks.items():
        if field_name in errors:
            continue
        error = _INVALID_TEXT[field_name] if field_name in invalid else check()
        if error:
            errors[field_name] = error
    submission = Submission(
        name=name,
        email=email,
        text=text,
        captcha_token=values["captcha_token"].strip(),
        captcha_answer=values["captcha_answer"],
        website=values["website"],
        action=values["action"].strip(),
        submission_id=submission_id,
        notify=notify,
    )
    return submission, errors
