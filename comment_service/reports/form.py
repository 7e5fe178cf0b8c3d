"""The report form's fields, checked (pure: no I/O, never raises on what a visitor sends).

Fields: ``motif`` (a key of the moderation charter, ``rules.reasons.REASONS``, the
one list), ``precisions`` (optional, bounded), ``captcha_token`` and
``captcha_answer`` (asked from the second report of a client in the guard's
window), ``action`` (``regenerer``: the form's « Régénérer » button).
Other fields are ignored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from .. import defaults
from ..rules import reasons
from ..rules.validation import ACTION_REGENERATE, normalise_text
from . import texts

TOKEN_MAX = 200


@dataclass(frozen=True)
class ReportForm:
    reason: str = ""
    message: str = ""
    captcha_token: str = ""
    captcha_answer: str = ""
    regenerate: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def _text(fields: dict, name: str, limit: int) -> str:
    value = fields.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _forbidden(char: str) -> bool:
    return char not in "\n\t" and (char in "\u2028\u2029" or unicodedata.category(char) in ("Cc", "Cs"))


def read(fields: dict) -> ReportForm:
    """The form's values and its errors by field name."""
    errors = {}
    reason = _text(fields, "motif", 60)
    if not reasons.is_reason(reason):
        errors["motif"] = texts.REASON_MISSING
        reason = ""
    raw = fields.get("precisions", "")
    message = normalise_text(raw).strip() if isinstance(raw, str) else ""
    limit = defaults.REPORT_MESSAGE_MAX
    if len(message) > limit:
        errors["precisions"] = texts.MESSAGE_TOO_LONG.format(count=len(message), max=limit)
    elif any(_forbidden(c) for c in message):
        errors["precisions"] = texts.MESSAGE_CONTROL
    return ReportForm(reason=reason, message=message if "precisions" not in errors else message[:limit * 2],
                      captcha_token=_text(fields, "captcha_token", TOKEN_MAX),
                      captcha_answer=_text(fields, "captcha_answer", 64),
                      regenerate=fields.get("action") == ACTION_REGENERATE, errors=errors)
