"""The service's pages of the accessibility channel: the form again (no JS,
errors, alerts) and the acknowledgement (pure: builds HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import ChoiceLoader, Environment, FileSystemLoader

from ..rules import messages as msg
from ..web import render
from . import FOLDER, loader, template_globals, texts
from .checks import TEXT_MAX, Demand


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The service's environment (layouts, console, comment form) with this package's templates."""
    base = render.environment()
    env = base.overlay(loader=ChoiceLoader([FileSystemLoader(str(FOLDER / "templates")), base.loader, loader()]))
    env.globals.update(template_globals())
    return env


def render_page(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


@dataclass
class FormState:
    demand: Demand
    errors: dict[str, str] = field(default_factory=dict)
    summary: str | None = None
    notice: str | None = None
    alert: str | None = None
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)


def statement_url(site_url: str) -> str:
    return site_url.rstrip("/") + "/accessibilite/"


def form_page(config, state: FormState, captcha, unavailable: str | None, action: str) -> str:
    d = state.demand
    title = texts.FORM_TITLE
    if state.errors:
        title = msg.ERROR_PREFIX + title
    return render_page(
        "accessibility_page.html", title=title, site_url=config.site_url, action=action,
        captcha_url=f"{config.prefix}/captcha", max_length=TEXT_MAX, name_max=config.name_max,
        values={"name": d.name, "email": d.email, "page": d.page, "text": d.text, "website": d.website},
        errors=state.errors, summary=state.summary, alert=state.alert, notice=state.notice, captcha=captcha,
        captcha_unavailable=unavailable, statement_url=statement_url(config.site_url))


def ack_page(config) -> str:
    return render_page("accessibility_ack.html", title=texts.ACK_TITLE, site_url=config.site_url,
                       statement_url=statement_url(config.site_url))
