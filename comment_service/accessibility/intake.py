"""The service's routes of the accessibility channel (called by app.py).

``GET <prefix>/accessibilite/demande``: the form with a security code (no JS).
``POST`` there: origin, fields (``checks``), « Régénérer », the captcha
(checked, and spent when genuine and live, like a comment's), the rate limit
(the comments' one, in its own bucket), then the request is written
(``records``): only once it is on disk whole does the person get the
acknowledgement (303 to ``…/recue``). Every refusal shows the form again with
everything typed kept (400, 429, 503), a fresh security code.
"""

from __future__ import annotations

import logging

from ..captcha import challenge as captcha
from ..rules import messages as msg
from ..web.decision import CAPTCHA_MESSAGES, new_challenge, spend_captcha
from ..web.httpio import HTTPError, Request
from ..web.present import captcha_view, site_origin
from ..web.render import Response, html_response
from . import ACK_PATH, REQUEST_PATH, checks, texts
from .pages import FormState, ack_page, form_page
from .records import RequestError, Requests

log = logging.getLogger("comment_service.accessibility")
BUCKET = "accessibilite"
ROUTES = (REQUEST_PATH, ACK_PATH)


def handle(deps, request: Request, path: str) -> Response:
    """The answer to one request on ``path`` (one of ROUTES)."""
    if path == ACK_PATH:
        _allow(request, ("GET", "HEAD"))
        return html_response(200, ack_page(deps.config), site_origin(deps.config))
    _allow(request, ("GET", "HEAD", "POST"))
    if request.method != "POST":
        return show(deps, request, FormState(checks.Demand()))
    if not request.origin_allowed():
        raise HTTPError(403, msg.FORBIDDEN_ORIGIN)
    body = request.read_fields()
    demand, errors = checks.check(body.fields, body.invalid, name_max=deps.config.name_max)
    if demand.action == checks.ACTION_REGENERATE:
        return show(deps, request, FormState(demand, notice=msg.REGENERATED))
    now = deps.clock()
    verdict = spend_captcha(deps, demand.captcha_token, demand.captcha_answer, now)
    if verdict != captcha.OK:
        errors["captcha_answer"] = (msg.CAPTCHA_EMPTY if verdict == captcha.WRONG and not demand.captcha_answer.strip()
                                    else CAPTCHA_MESSAGES[verdict])
    if errors:
        log.info("refused accessibility request from %s: %s (captcha: %s)", deps.guard.label(request.client),
                 ", ".join(sorted(errors)), verdict)
        only_captcha = set(errors) == {"captcha_answer"} and verdict == captcha.MISSING
        return show(deps, request, FormState(demand, errors, texts.SUMMARY_CAPTCHA_ONLY if only_captcha
                                             else texts.SUMMARY, status=400))
    decision = deps.guard.hit(BUCKET, request.client, deps.config.rate_limit, now)
    if not decision.allowed:
        retry = decision.retry_after
        return show(deps, request, FormState(demand, status=429, headers=[("Retry-After", str(retry))],
                                             alert=texts.RATE_LIMITED.format(minutes=msg.minutes(retry))))
    try:
        stored = Requests(deps.config.store).add(demand.name, demand.email, demand.page, demand.text)
    except RequestError as exc:
        log.error("%s", exc)
        return show(deps, request, FormState(demand, status=503, alert=texts.STORE_FAILED,
                                             headers=[("Retry-After", "300")]))
    log.info("stored accessibility request %s from %s", stored.id, deps.guard.label(request.client))
    return Response(303, [("Location", deps.config.prefix + ACK_PATH), ("Cache-Control", "no-store"),
                          ("Content-Type", "text/plain; charset=utf-8")], texts.ACK_LEAD.encode("utf-8"))



def show(deps, request: Request, state: FormState) -> Response:
    """The form again, everything typed kept, with a fresh security code when one may be drawn."""
    challenge, retry = new_challenge(deps, request.client)
    status, headers, unavailable = state.status, list(state.headers), None
    if challenge is None:
        unavailable = msg.CAPTCHA_RATE_LIMITED.format(minutes=msg.minutes(retry))
        status = max(status, 429) if status < 400 else status
        headers.append(("Retry-After", str(retry)))
    view = captcha_view(deps.config, challenge) if challenge else None
    html = form_page(deps.config, state, view, unavailable, deps.config.prefix + REQUEST_PATH)
    return html_response(status, html, site_origin(deps.config), headers)


def _allow(request: Request, methods: tuple[str, ...]) -> None:
    if request.method not in methods:
        raise HTTPError(405, msg.METHOD_NOT_ALLOWED, [("Allow", ", ".join(methods))])
