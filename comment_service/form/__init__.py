"""The comment form component: one template, its CSS, its JS (see README.md).

The site (``plugins/comment_form``) and the service's own page
(``comment_service/web/render.py``) load the template through :func:`loader` under
the prefix ``comment-form/`` and give it :func:`template_globals`; the macro
is ``{% from "comment-form/template.html" import comment_form %}``.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemLoader, PrefixLoader

from ..rules import messages
from ..captcha.challenge import LENGTH as CAPTCHA_LENGTH
from ..rules.validation import count

#: This folder: template.html, comment-form.css, comment-form.js, README.md.
FOLDER = Path(__file__).resolve().parent
#: Template names start with this prefix: "comment-form/template.html".
PREFIX = "comment-form"
TEMPLATE = f"{PREFIX}/template.html"
#: The files copied into the site's theme folder, and their folder there:
#: <output>/<THEME_STATIC_DIR>/comment-form/comment-form.css.
ASSETS = ("comment-form.css", "comment-form.js")
ASSET_FOLDER = "comment-form"

#: Where a field's error sends the reader (error summary links, aria-invalid).
FIELD_IDS = {
    "name": "comment-name",
    "email": "comment-email",
    "text": "comment-text",
    "website": "comment-text",  # the honeypot is never shown: its error goes to the text
    "captcha_answer": "comment-captcha-answer",
    "captcha_token": "comment-captcha-answer",
}
_ORDER = ("name", "email", "text", "website", "captcha_answer", "captcha_token")


def loader() -> PrefixLoader:
    """The component's templates, under ``comment-form/``."""
    return PrefixLoader({PREFIX: FileSystemLoader(str(FOLDER))})


def ordered_errors(errors: dict[str, str]) -> list[tuple[str, str]]:
    """Errors in the order of the fields, unknown keys last (summary order)."""
    rank = {key: i for i, key in enumerate(_ORDER)}
    return sorted(errors.items(), key=lambda item: (rank.get(item[0], len(_ORDER)), item[0]))


def script_config(moderation: str) -> dict[str, object]:
    """What comment-form.js reads from the page (a JSON block): texts and field ids."""
    return {"texts": messages.script_texts(moderation), "fieldIds": FIELD_IDS}


def template_globals() -> dict[str, object]:
    """The names the template uses besides its parameters."""
    return {
        "comment_messages": messages,
        "comment_captcha_length": CAPTCHA_LENGTH,
        "comment_count": count,
        "comment_field_ids": FIELD_IDS,
        "comment_errors_in_order": ordered_errors,
        "comment_script_config": script_config,
    }
