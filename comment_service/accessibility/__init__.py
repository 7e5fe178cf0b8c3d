"""The accessibility feedback channel (RGAA: « retour d'information et contact »).

A person who cannot reach a content or a service asks for it through a form
on the statement page (``template.html``, also the service's own no-JS page);
the request is stored (``records``), acknowledged by a page and a mail naming
the Défenseur des droits' routes (``recourse``, the one place they are
written), answered from the console within a week (``console``,
``deadlines``), the answer mailed by the notify process (``mails``); erasure
and retention in ``personal``. Sentences in ``texts``.

Modules: ``checks`` (fields), ``intake`` (the WSGI routes), ``pages``
(rendering), ``records``, ``mails``, ``console``, ``personal``, ``deadlines``,
``recourse``, ``texts``; the component: ``template.html``,
``accessibility-form.js`` (progressive enhancement: the captcha on the page,
the live count).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from .. import form
from ..rules import messages
from . import recourse, texts
from .checks import FIELDS, TEXT_MAX

FOLDER = Path(__file__).resolve().parent
PREFIX = "accessibility-form"
TEMPLATE = f"{PREFIX}/template.html"
ASSETS = ("accessibility-form.js",)
ASSET_FOLDER = "accessibility-form"
#: The service's routes (under the configured prefix).
REQUEST_PATH = "/accessibilite/demande"
ACK_PATH = "/accessibilite/demande/recue"
#: The console's view (under the console's path).
CONSOLE_PATH = "/accessibilite"

FIELD_IDS = {"name": "a11y-name", "email": "a11y-email", "page": "a11y-page", "text": "a11y-text",
             "website": "a11y-text", "captcha_answer": "a11y-captcha-answer", "captcha_token": "a11y-captcha-answer"}


def loader() -> ChoiceLoader:
    """This component's template, and the comment form's (its captcha challenge)."""
    return ChoiceLoader([PrefixLoader({PREFIX: FileSystemLoader(str(FOLDER))}), form.loader()])


def ordered_errors(errors: dict[str, str]) -> list[tuple[str, str]]:
    rank = {key: i for i, key in enumerate(FIELDS)}
    return sorted(errors.items(), key=lambda item: (rank.get(item[0], len(FIELDS)), item[0]))


def script_config() -> dict[str, object]:
    """What accessibility-form.js reads from the page: the comment form's counting texts."""
    return {"texts": messages.script_texts("pre"), "max": TEXT_MAX}


def template_globals() -> dict[str, object]:
    """The names the component uses (the comment form's as well)."""
    return {**form.template_globals(), "a11y_texts": texts, "a11y_field_ids": FIELD_IDS,
            "a11y_errors_in_order": ordered_errors, "a11y_script_config": script_config,
            "a11y_recourse": recourse.as_dicts(), "a11y_recourse_intro": recourse.INTRO}
