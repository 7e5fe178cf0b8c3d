"""The reader's side: ``GET`` and ``POST <prefix>/signaler/<comment id>``.

A page of the service (no script: its CSP forbids every one), reached from
the « Signaler ce commentaire » link under each published comment. The id is
checked against the store's pattern before anything else; an unknown or
unpublished comment is a French 404 page, a body that cannot be read a
French 400 (``httpio``), never a 500.
"""

from __future__ import annotations

import re

from .. import defaults
from ..rules import messages as msg
from ..rules import reasons
from ..web.decision import Deps, new_challenge
from ..web.httpio import HTTPError, Request
from ..web.present import captcha_view, site_origin
from ..web.render import Response, environment, html_response
from ..store import is_comment_id
from . import texts
from .decision import Again, Gone, Stored, decide, published
from .form import ReportForm, read
from .records import ReportStore

_PATH_RE = re.compile(re.escape(defaults.REPORT_PATH) + r"/(?P<id>[^/]{1,80})/?")
FIELD_IDS = {"motif": "report-motif-0", "precisions": "report-precisions", "captcha_answer": "report-captcha-answer"}


def match(path: str) -> str | None:
    """The comment id of a report URL (checked: the store's pattern), else None."""
    found = _PATH_RE.fullmatch(path)
    return found["id"] if found and is_comment_id(found["id"]) else None


class ReportPages:
    def __init__(self, deps: Deps):
        self.deps = deps
        self.reports = ReportStore(deps.config.store)

    def handle(self, request: Request, comment_id: str) -> Response:
        if request.method in ("GET", "HEAD"):
            comment = published(self.deps, comment_id)
            if comment is None:
                raise HTTPError(404, texts.NOT_FOUND)
            return self.form(request, Again(comment, ReportForm()))
        if request.method != "POST":
            raise HTTPError(405, msg.METHOD_NOT_ALLOWED, [("Allow", "GET, HEAD, POST")])
        if not request.origin_allowed():
            raise HTTPError(403, msg.FORBIDDEN_ORIGIN)
        if request.kind != "form":
            raise HTTPError(415, msg.UNSUPPORTED_TYPE)
        outcome = decide(self.deps, self.reports, comment_id, request.client, read(request.read_fields().fields))
        if isinstance(outcome, Gone):
            raise HTTPError(404, texts.NOT_FOUND)
        if isinstance(outcome, Stored):
            return self.page(200, "done.html", outcome.comment, hidden=outcome.hidden)
        return self.form(request, outcome)

    def _thread(self, comment) -> tuple[str, str]:
        thread = self.deps.threads.get(comment.thread)
        if thread is None:
            return self.deps.config.site_url + "/", comment.thread
        return self.deps.config.site_url + thread.url, thread.title

    def page(self, status: int, template: str, comment, headers=(), **context) -> Response:
        config = self.deps.config
        thread_url, thread_title = self._thread(comment)
        title = context.pop("title", texts.DONE_TITLE if template == "done.html" else texts.TITLE)
        html = environment().get_template(f"reports/{template}").render(
            t=texts, title=title, site_url=config.site_url, comment=comment, thread_url=thread_url,
            thread_title=thread_title, **context)
        return html_response(status, html, site_origin(config), list(headers))

    def form(self, request: Request, again: Again) -> Response:
        config = self.deps.config
        view, unavailable, headers, status = None, None, [], again.status
        if again.retry_after:
            headers.append(("Retry-After", str(again.retry_after)))
        if again.captcha:
            challenge, retry = new_challenge(self.deps, request.client)
            if challenge is None:
                unavailable = msg.CAPTCHA_RATE_LIMITED.format(minutes=msg.minutes(retry))
                status = max(status, 429)
                headers.append(("Retry-After", str(retry)))
            else:
                view = captcha_view(config, challenge)
        title = texts.TITLE + " – " + self._thread(again.comment)[1]
        if again.errors or again.alert:
            title = texts.ERROR_PREFIX + title
        notice = msg.REGENERATED if again.form.regenerate else None
        return self.page(status, "form.html", again.comment, headers, title=title, errors=again.errors,
                         alert=again.alert, notice=notice, values=again.form, reasons=reasons.REASONS,
                         captcha=view, captcha_unavailable=unavailable, field_ids=FIELD_IDS,
                         message_max=defaults.REPORT_MESSAGE_MAX,
                         action=f"{config.prefix}{defaults.REPORT_PATH}/{again.comment.id}")
