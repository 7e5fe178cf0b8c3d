"""What to do with a posted report (no WSGI here; the shell is ``pages.py``).

1. the comment must be published (``approved``): else ``Gone`` (404);
2. the fields are checked (``form.read``); « Régénérer » -> the form again;
3. a captcha, when one was posted, is checked and spent at once (the
   guard's single-use nonces, as for comments);
4. the client's report rate limit (``COMMENTS_REPORT_RATE_LIMIT``) is
   reserved in the guard -> ``Limited`` when full;
5. without a right captcha, a second reservation in the guard's
   ``report-free`` bucket (one per client and window): the first report of a
   client in the window needs no captcha, the next ones are asked for it;
6. the report is stored (``records``); the reservations are confirmed only then;
7. ``hide.apply``: with ``COMMENTS_REPORTS_HIDE_AFTER`` open reports, the
   comment leaves the page until a moderator looks at it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Union

from ..captcha import challenge as captcha
from ..config import RateLimit
from ..web.decision import CAPTCHA_MESSAGES, Deps, spend_captcha
from ..rules.messages import minutes
from ..store import Comment, DamagedComment, InvalidId, NotFound, StoreError
from . import hide, texts
from .form import ReportForm
from .records import Report, ReportStore

log = logging.getLogger("comment_service")

FREE_BUCKET = "report-free"
BUCKET = "report"


@dataclass(frozen=True)
class Gone:
    """No published comment with this id."""


@dataclass(frozen=True)
class Again:
    """The form again: errors, a captcha when one is needed, a status."""

    comment: Comment
    form: ReportForm
    errors: dict[str, str] = field(default_factory=dict)
    captcha: bool = False
    status: int = 200
    alert: str | None = None
    retry_after: int = 0


@dataclass(frozen=True)
class Stored:
    comment: Comment
    report: Report
    hidden: bool


Outcome = Union[Gone, Again, Stored]


def published(deps: Deps, comment_id: str) -> Comment | None:
    """The comment if it is published, else None (never a path from an unchecked id)."""
    try:
        comment = deps.store.get(comment_id)
    except (InvalidId, NotFound, DamagedComment):
        return None
    return comment if comment.status == "approved" else None


def decide(deps: Deps, reports: ReportStore, comment_id: str, client: str, form: ReportForm) -> Outcome:
    comment = published(deps, comment_id)
    if comment is None:
        return Gone()
    posted_captcha = bool(form.captcha_token)
    if form.regenerate:
        return Again(comment, form, captcha=True)
    now = deps.clock()
    errors = dict(form.errors)
    captcha_ok = False
    if posted_captcha:
        verdict = spend_captcha(deps, form.captcha_token, form.captcha_answer, now)
        captcha_ok = verdict == captcha.OK
        if not captcha_ok:
            errors["captcha_answer"] = CAPTCHA_MESSAGES[verdict]
    if errors:
        return Again(comment, form, errors, captcha=posted_captcha, status=400)
    cfg = deps.config
    limit = deps.guard.reserve(BUCKET, client, cfg.report_rate_limit, now)
    if not limit.allowed:
        log.info("rate limit report reached for %s (retry after %ds)", deps.guard.label(client), limit.retry_after)
        return Again(comment, form, captcha=posted_captcha, status=429, retry_after=limit.retry_after,
                     alert=texts.RATE_LIMITED.format(minutes=minutes(limit.retry_after)))
    free = None
    if not captcha_ok:
        free = deps.guard.reserve(FREE_BUCKET, client, RateLimit(1, cfg.report_rate_limit.window), now)
        if not free.allowed:
            deps.guard.release(limit.rowid)
            return Again(comment, form, {"captcha_answer": texts.CAPTCHA_NEEDED}, captcha=True, status=400)
    try:
        report = reports.add(comment.thread, comment.id, form.reason, form.message)
    except StoreError as exc:
        deps.guard.release(limit.rowid)
        if free is not None:
            deps.guard.release(free.rowid)
        log.error("cannot store a report on %s: %s", comment.id, exc)
        return Again(comment, form, captcha=posted_captcha, status=503, alert=texts.STORE_FAILED)
    for decision in (limit, free):
        if decision is not None:
            deps.guard.confirm(decision.rowid)
    log.info("stored report %s on comment %s from %s", report.id, comment.id, deps.guard.label(client))
    return Stored(comment, report, hide.apply(deps.store, reports, comment, cfg.reports_hide_after))


