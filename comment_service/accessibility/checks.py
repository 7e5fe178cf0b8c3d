"""The fields of an accessibility request, checked (pure: no I/O).

The name, the address and the description follow the comment form's rules
(``comment_service.rules.validation``: counting, control characters, blank text,
e-mail syntax without a network look-up); the address is required here (it
is how we answer). The page is optional: an absolute http(s) address,
without white space or control characters. The honeypot and the captcha
fields are the comment form's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import urlsplit

from ..rules import messages as msg
from ..rules import validation
from ..rules.validation import ACTION_REGENERATE  # noqa: F401  (the « Régénérer » button's value)
from . import texts

FIELDS = ("name", "email", "page", "text", "captcha_token", "captcha_answer", "website", "action",
          "submission_id")
PAGE_MAX = 2000
TEXT_MAX = 4000


@dataclass(frozen=True)
class Demand:
    """What the person sent, normalised; every value a string (to show the form again)."""

    name: str = ""
    email: str = ""
    page: str = ""
    text: str = ""
    captcha_token: str = ""
    captcha_answer: str = ""
    website: str = ""
    action: str = ""


def page_error(page: str) -> str | None:
    if not page:
        return None
    if len(page) > PAGE_MAX or any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in page):
        return texts.PAGE_INVALID
    try:
        parts = urlsplit(page)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return texts.PAGE_INVALID
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return texts.PAGE_INVALID
    return None


def _strings(raw: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    values, errors = {}, {}
    for name in FIELDS:
        value = raw.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name], value = msg.NOT_TEXT, ""
        values[name] = value
    return values, errors


_INVALID = {"name": msg.NAME_CONTROL, "email": msg.EMAIL_INVALID, "page": texts.PAGE_INVALID,
            "text": msg.TEXT_CONTROL, "website": msg.HONEYPOT}


def check(raw: Mapping[str, object], invalid=frozenset(), *, name_max: int) -> tuple[Demand, dict[str, str]]:
    """(demand, errors by field); never raises, whatever ``raw`` holds."""
    values, errors = _strings(raw)
    name = unicodedata.normalize("NFC", values["name"]).strip()
    email, email_error = validation._check_email(values["email"].strip())
    page = values["page"].strip()
    text = validation.normalise_text(values["text"])
    found = {
        "name": validation._name_error(name, name_max),
        "email": email_error or (None if email else texts.EMAIL_MISSING),
        "page": page_error(page),
        "text": _text_error(text),
        "website": msg.HONEYPOT if values["website"] else None,
    }
    for key in invalid:  # a lone surrogate (httpio): refused with its field's message
        if key in _INVALID:
            found[key] = _INVALID[key]
    errors.update({k: v for k, v in found.items() if v and k not in errors})
    demand = Demand(name=name, email=email, page=page, text=text, captcha_token=values["captcha_token"].strip(),
                    captcha_answer=values["captcha_answer"], website=values["website"],
                    action=values["action"].strip())
    return demand, errors


def _text_error(text: str) -> str | None:
    error = validation._text_error(text, True, TEXT_MAX)
    if error == msg.TEXT_MISSING:
        return texts.TEXT_MISSING
    if error and error != msg.TEXT_CONTROL:  # too long: said with this form's words
        return texts.TEXT_TOO_LONG.format(max=TEXT_MAX, count=len(text))
    return error
