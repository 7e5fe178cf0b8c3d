"""Presenting an outcome: once, as JSON (a ``fetch``) or as HTML (a form post, a browser).

The decision (decision.py) says what happened; this module only says it. A
form shown again gets a fresh captcha, drawn here (rate-limited like
``GET /captcha``), and keeps the submission id the visitor's form carried if it
is valid (the submission has not succeeded yet); otherwise render gives the
form a fresh random one.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from ..captcha import challenge as captcha
from ..rules import messages as msg
from ..config import Config
from .decision import (Accepted, Deps, Outcome, RateLimited, Refused, Regenerate, Rejected, StoreFailed,
                       new_challenge)
from .httpio import Request
from .render import CaptchaView, FormView, Response, form_page, html_response, json_response, message_page
from ..rules.validation import Submission, is_submission_id

RETRY_AFTER_STORE = "300"


def site_origin(config: Config) -> str:
    return urlsplit(config.site_url)._replace(path="", query="", fragment="").geturl()


def error(config: Config, request: Request, status: int, message: str,
          headers: list[tuple[str, str]] | None = None, errors: dict[str, str] | None = None) -> Response:
    """An error as an HTML page for browsers and form posts, else as JSON."""
    headers = list(headers or []) + request.cors_headers()
    if request.wants_html:
        page = message_page(msg.PAGE_TITLES.get(status, msg.PAGE_TITLE_ERROR), message, config.site_url)
        return html_response(status, page, site_origin(config), headers)
    body: dict[str, object] = {"message": message}
    if errors:
        body["errors"] = errors
    return json_response(status, body, headers)


def captcha_view(config: Config, challenge: captcha.Challenge) -> CaptchaView:
    """The token and its media URLs, under the configured prefix only (never SCRIPT_NAME)."""
    base = config.prefix
    return CaptchaView(challenge.token, f"{base}/captcha/{challenge.token}.png",
                       f"{base}/captcha/{challenge.token}.mp3")


def success_message(status: str) -> str:
    return msg.SUCCESS_APPROVED if status == "approved" else msg.SUCCESS_PENDING


def outcome_response(deps: Deps, request: Request, outcome: Outcome, form: bool) -> Response:
    """The one presentation of a decision: an error, the form's answer, or JSON."""
    if isinstance(outcome, Rejected):
        return error(deps.config, request, outcome.status, outcome.message)
    return as_form(deps, request, outcome) if form else as_json(request, outcome)


def as_json(request: Request, outcome: Outcome) -> Response:
    """The outcome for a JavaScript ``fetch``."""
    cors = request.cors_headers()
    if isinstance(outcome, Accepted):
        body = {"status": outcome.status, "id": outcome.comment_id, "message": success_message(outcome.status)}
        return json_response(202, body, cors)
    if isinstance(outcome, Refused):
        return json_response(400, {"message": outcome.summary, "errors": outcome.errors}, cors)
    if isinstance(outcome, RateLimited):
        text = msg.RATE_LIMITED_SHORT.format(minutes=msg.minutes(outcome.retry_after))
        return json_response(429, {"message": text}, [("Retry-After", str(outcome.retry_after))] + cors)
    if isinstance(outcome, StoreFailed):
        return json_response(503, {"message": msg.STORE_FAILED}, [("Retry-After", RETRY_AFTER_STORE)] + cors)
    # Rejected goes through error(); Regenerate is a form button (a fetch asks GET /captcha).
    raise TypeError(f"no JSON presentation for {outcome!r}")


def as_form(deps: Deps, request: Request, outcome: Outcome) -> Response:
    """The outcome for an HTML form post: a redirect, or the form again."""
    config = deps.config
    if isinstance(outcome, Accepted):
        location = config.site_url + outcome.thread.url + "#commentaire-envoye"
        return Response(303, [("Location", location), ("Cache-Control", "no-store"),
                              ("Content-Type", "text/plain; charset=utf-8")],
                        success_message(outcome.status).encode("utf-8"))
    form = FormState(outcome.submission)
    if isinstance(outcome, Refused):
        form = FormState(outcome.submission, errors=outcome.errors, summary=outcome.summary, status=400)
    elif isinstance(outcome, RateLimited):
        form = FormState(outcome.submission, status=429, headers=[("Retry-After", str(outcome.retry_after))],
                         alert=msg.RATE_LIMITED.format(minutes=msg.minutes(outcome.retry_after)))
    elif isinstance(outcome, StoreFailed):
        form = FormState(outcome.submission, status=503, alert=msg.STORE_FAILED,
                         headers=[("Retry-After", RETRY_AFTER_STORE)])
    elif isinstance(outcome, Regenerate):
        form = FormState(outcome.submission, notice=msg.REGENERATED)
    return form_response(deps, request, outcome.thread, form)


@dataclasses.dataclass
class FormState:
    """How the form is shown again: values, errors, messages, status."""

    submission: Submission
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    summary: str | None = None
    notice: str | None = None
    alert: str | None = None
    status: int = 200
    headers: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def form_response(deps: Deps, request: Request, thread, state: FormState) -> Response:
    """The form again, every typed value kept, with a fresh captcha and a submission id."""
    config = deps.config
    challenge, retry = new_challenge(deps, request.client)
    status, headers, unavailable = state.status, list(state.headers), None
    if challenge is None:
        unavailable = msg.CAPTCHA_RATE_LIMITED.format(minutes=msg.minutes(retry))
        if status < 400:
            status = 429
        if not any(k == "Retry-After" for k, _ in headers):
            headers.append(("Retry-After", str(retry)))
    submission = state.submission
    # The form keeps its id until a success; an absent or invalid one is replaced.
    keep_id = {"submission_id": submission.submission_id} if is_submission_id(submission.submission_id) else {}
    view = FormView(
        action_url=f"{config.prefix}/fils/{thread.id}",
        thread=thread,
        moderation=config.moderation,
        site_url=config.site_url,
        contact_email=config.contact_email,
        submission=submission,
        errors=state.errors,
        summary=state.summary,
        captcha=captcha_view(config, challenge) if challenge else None,
        captcha_unavailable=unavailable,
        notice=state.notice,
        alert=state.alert,
        max_length=config.max_length,
        name_max=config.name_max,
        **keep_id,
    )
    return html_response(status, form_page(view), site_origin(config), headers + request.cors_headers())
