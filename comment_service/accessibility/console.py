"""The console's « Accessibilité » view: the requests, their deadline, the answer.

``/moderation/accessibilite``: open requests first (oldest first, days left
before the one-week deadline, overdue said in words), then the answered ones.
``/moderation/accessibilite/<id>``: the request, and a form for the answer
(POST: the console's session and CSRF token, checked by the console before
this module runs). The answer is kept in the request's file and written to the
audit log with the request; the notify process mails it (``mails``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

from .. import defaults
from ..console import texts as console_texts
from ..console import web
from ..console.views import french_datetime
from ..web.httpio import HTTPError
from ..rules.validation import normalise_text
from . import CONSOLE_PATH, deadlines, texts
from .pages import render_page
from .records import Requests

_DETAIL_RE = re.compile(CONSOLE_PATH + r"/(?P<id>[0-9A-Za-z-]{1,64})")


def matches(sub: str) -> bool:
    return sub == CONSOLE_PATH or _DETAIL_RE.fullmatch(sub) is not None


def view(request, now: datetime) -> dict:
    """One request as the console shows it."""
    left = deadlines.days_left(request.received, now)
    return {"r": request, "received": french_datetime(request.received),
            "due": french_datetime(deadlines.due(request.received)), "left": left,
            "left_label": texts.days_left_label(left), "overdue": left < 0 and not request.answer,
            "urgent": not request.answer and deadlines.urgent(request.received, now),
            "answered": french_datetime(request.answered) if request.answered else None,
            "in_time": deadlines.answered_in_time(request.received, request.answered),
            "mailed": (french_datetime(datetime.strptime(request.sent["answer"], "%Y-%m-%dT%H:%M:%SZ")
                                       .replace(tzinfo=timezone.utc))
                       if request.sent.get("answer", "refused") != "refused" else None)}


def check_answer(text: str) -> tuple[str, str | None]:
    text = normalise_text(text).strip()
    if not text:
        return text, texts.ANSWER_MISSING
    if any(c not in "\n\t" and (c in "\u2028\u2029" or unicodedata.category(c) in ("Cc", "Cs")) for c in text):
        return text, texts.ANSWER_CONTROL
    if len(text) > defaults.REPLY_MAX_LENGTH:
        return text, texts.ANSWER_TOO_LONG.format(max=defaults.REPLY_MAX_LENGTH, count=len(text))
    return text, None


def handle(console, request, session, sub: str, form) -> object:
    now = datetime.fromtimestamp(console.clock(), timezone.utc)
    requests = Requests(console.config.store)
    common = {**console.common(session, request), "texts": console_texts, "current": "accessibilite"}
    if sub == CONSOLE_PATH:
        _allow(request, ("GET", "HEAD"))
        everything = [view(r, now) for r in requests.all()]
        waiting = [v for v in everything if not v["r"].answer]
        done = sorted((v for v in everything if v["r"].answer), key=lambda v: v["r"].answer["at"], reverse=True)
        html = render_page("accessibility_console_list.html", **common, waiting=waiting, done=done, a=texts)
        return web.page(console.config, 200, html)
    _allow(request, ("GET", "HEAD", "POST"))
    request_id = _DETAIL_RE.fullmatch(sub)["id"]
    found = requests.get(request_id)
    if found is None:
        raise HTTPError(404, texts.NOT_FOUND)
    values, error, status = {"reponse": ""}, None, 200
    if request.method == "POST":
        text, error = check_answer(web.first(form, "reponse"))
        values["reponse"] = web.first(form, "reponse")
        if error is None and not found.redacted:
            actor = console.actor(request, session)
            answered = requests.set_answer(request_id, text, actor.account, now)
            if answered is None:
                raise HTTPError(404, texts.NOT_FOUND)
            console.audit.append(actor.account, "accessibility-answer", source="console", address=actor.address,
                                 request_id=request_id, received_at=found.received_at, requester=found.name,
                                 email=found.email, page=found.page, request=found.text, answer=text)
            console.flash(session, [texts.ANSWER_SENT_NOTE])
            return web.redirect(web.url(console.config, f"{CONSOLE_PATH}/{request_id}"))
        status = 400
    html = render_page("accessibility_console_detail.html", **common, item=view(found, now), values=values,
                       error=error, a=texts, back=web.url(console.config, CONSOLE_PATH))
    return web.page(console.config, status, html)


def _allow(request, methods: tuple[str, ...]) -> None:
    if request.method not in methods:
        raise HTTPError(405, console_texts.METHOD_NOT_ALLOWED, [("Allow", ", ".join(methods))])
