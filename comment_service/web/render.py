"""Rendering of responses (pure: builds bytes, no I/O).

HTML pages are Jinja templates (``templates/`` for the page layouts, the
comment form component from ``comment_service/form/``) with autoescaping:
everything a visitor sent is escaped, in text and in attributes alike. Pages
are French, with semantic markup and the site's stylesheets; every sentence
comes from ``messages.py``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from .. import defaults, form
from ..rules import messages as msg
from ..store import paragraphs
from .threads import Thread
from ..rules.validation import Submission

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def status_line(self) -> str:
        return f"{self.status} {HTTPStatus(self.status).phrase}"

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def json_response(status: int, obj: object, headers: list[tuple[str, str]] | None = None) -> Response:
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Response(status, [("Content-Type", JSON_TYPE), ("Cache-Control", "no-store"),
                             ("X-Content-Type-Options", "nosniff")] + (headers or []), body)


def html_response(status: int, page: str, site_origin: str, headers: list[tuple[str, str]] | None = None) -> Response:
    csp = (
        "default-src 'none'; img-src 'self'; media-src 'self'; "
        f"style-src 'self' {site_origin}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    return Response(status, [
        ("Content-Type", HTML_TYPE),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", csp),
        ("Referrer-Policy", "same-origin"),
    ] + (headers or []), page.encode("utf-8"))


THEME_DIR = "theme"  # the site's THEME_STATIC_DIR (pelicanconf.py)
_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The service's Jinja environment: its page layouts and the form component.

    Autoescaping everywhere; undefined names fail; the same whitespace rules as
    the site's (pelicanconf.py), so that the component renders the same there.
    """
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(_TEMPLATES)), form.loader()]),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["paragraphs"] = paragraphs  # a visitor's text, each paragraph shown isolated
    env.globals.update(form.template_globals())
    env.globals.update(theme_dir=THEME_DIR, component_css=f"{form.ASSET_FOLDER}/comment-form.css")
    return env


def message_page(title: str, message: str, site_url: str, back_url: str | None = None,
                 back_label: str | None = None) -> str:
    """A short page: a title, one message, one link back (the site's home by default)."""
    return environment().get_template("message_page.html").render(
        title=title, message=message, site_url=site_url, back_url=back_url, back_label=back_label)


@dataclass(frozen=True)
class CaptchaView:
    token: str
    image_url: str
    audio_url: str


def new_submission_id() -> str:
    """A fresh random submission id (24 characters of [A-Za-z0-9_-])."""
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class FormView:
    """Everything the service's form page shows (the component's parameters)."""

    action_url: str
    thread: Thread  # id, url, title, open, kind ("article" or "event")
    moderation: str  # "pre" or "auto": what the page says about publication
    site_url: str
    contact_email: str
    submission: Submission
    errors: dict[str, str]
    summary: str | None  # heading of the error summary (None: no errors)
    captcha: CaptchaView | None  # None when no new captcha could be issued
    captcha_unavailable: str | None = None
    notice: str | None = None  # polite status message (e.g. a new code was drawn)
    alert: str | None = None  # blocking message that is not about a field (429, 503)
    max_length: int = defaults.MAX_LENGTH
    name_max: int = defaults.NAME_MAX
    submission_id: str = field(default_factory=new_submission_id)


def form_page(view: FormView) -> str:
    """The no-JavaScript form page: the form component with everything typed kept."""
    s = view.submission
    kind = getattr(view.thread, "kind", "article")
    title = msg.FORM_TITLE + " – " + view.thread.title
    if view.errors:
        title = msg.ERROR_PREFIX + title
    return environment().get_template("form_page.html").render(
        view=view, kind=kind if kind in msg.KIND_LABEL else "article",
        title=title, site_url=view.site_url, thread_url=view.site_url + view.thread.url,
        captcha_url=view.action_url.rpartition("/fils/")[0] + "/captcha",
        values={"name": s.name, "email": s.email, "text": s.text, "website": s.website, "notify": s.notify},
    )
