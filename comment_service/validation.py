"""Validation of a comment submission (pure: no I/O).

The counting rule (mirrored by the browser counter, see docs/comment-service.md):

1. every CRLF pair, then every lone CR, becomes LF;
2. the text is normalised to Unicode NFC;
3. its length is the number of Unicode code points (JavaScript: ``[...s].length``).

The text is stored exactly as it is after steps 1 and 2: no trimming. It is
refused when it is empty or made only of white space and invisible format
characters, when it is longer than the maximum, or when it contains a control
character other than LF and TAB (C0/C1 controls, DEL), a lone surrogate, or
the Unicode LINE/PARAGRAPH SEPARATOR (U+2028, U+2029), which most readers
cannot see and which behave unlike a line break in HTML, Markdown and older
JavaScript.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Mapping

from email_validator import EmailNotValidError, validate_email

from . import messages as msg

EMAIL_MAX = 254
FIELDS = ("name", "email", "text", "captcha_token", "captcha_answer", "website", "action")
REQUIRED = ("name", "text")
ACTION_REGENERATE = "regenerer"


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


def _forbidden_in_name(char: str) -> bool:
    if char in "\u2028\u2029":
        return True
    return unicodedata.category(char) in ("Cc", "Cs")


def _blank(text: str) -> bool:
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


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


def validate(
    raw: Mapping[str, object], *, max_length: int = 500, name_max: int = 80
) -> tuple[Submission, dict[str, str]]:
    """Validate the fields of a submission (captcha excluded).

    Returns the normalised submission (every field a string, usable to show
    the form again) and a mapping from field name to one French message.
    """
    values, errors = coerce_fields(raw)

    # Text.
    text = normalise_text(values["text"])
    if "text" not in errors:
        if "text" not in raw:
            errors["text"] = msg.TEXT_MISSING
        elif any(_forbidden_in_text(c) for c in text):
            errors["text"] = msg.TEXT_CONTROL
        elif _blank(text):
            errors["text"] = msg.TEXT_MISSING
        elif len(text) > max_length:
            errors["text"] = msg.TEXT_TOO_LONG.format(max=max_length, count=len(text))

    # Name.
    name = unicodedata.normalize("NFC", values["name"]).strip()
    if "name" not in errors:
        if any(_forbidden_in_name(c) for c in name):
            errors["name"] = msg.NAME_CONTROL
        elif _blank(name):
            errors["name"] = msg.NAME_MISSING
        elif len(name) > name_max:
            errors["name"] = msg.NAME_TOO_LONG.format(max=name_max, count=len(name))

    # E-mail: optional, syntax only (never a network look-up), never published.
    email = values["email"].strip()
    if email and "email" not in errors:
        if len(email) > EMAIL_MAX or any(_forbidden_in_name(c) for c in email):
            errors["email"] = msg.EMAIL_INVALID
        else:
            try:
                email = validate_email(email, check_deliverability=False).normalized
            except (EmailNotValidError, UnicodeError, ValueError):
                errors["email"] = msg.EMAIL_INVALID

    # Honeypot: a field hidden from people; robots fill it in.
    if values["website"] and "website" not in errors:
        errors["website"] = msg.HONEYPOT

    submission = Submission(
        name=name,
        email=email,
        text=text,
        captcha_token=values["captcha_token"].strip(),
        captcha_answer=values["captcha_answer"],
        website=values["website"],
        action=values["action"].strip(),
    )
    return submission, errors
