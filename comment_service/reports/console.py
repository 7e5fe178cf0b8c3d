"""The console's side of the reports (``<prefix>/moderation/signalements``).

- ``GET /signalements``: every comment with open reports (published, or taken
  off its page by ``hide``), its reports beside it (reason, details, date);
- ``POST /signalements/actions`` (``un=keep:ID`` or ``un=unpublish:ID``, the
  session's CSRF token checked by the console like every POST):
  « Retirer » unpublishes through the console's own state change
  (``actions.apply``, ``unpublish``: back to the queue) and closes the reports
  as ``unpublished``; « Maintenir » puts a hidden comment back on its page
  (``approve``) and closes them as ``kept``. Each is one audit line, plus
  ``reports-close`` with the outcome and the count. « Répondre » is the
  console's reply page (``/reponse/<id>``).

The lists of the console show the same reports beside each comment
(``summaries``, given to ``views.item``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rules import reasons
from ..console import texts as console_texts
from ..console import views, web
from ..console.actions import apply
from ..web.httpio import HTTPError, Request
from ..web.render import Response
from ..store import DamagedComment, InvalidId, NotFound, is_comment_id
from . import texts
from .records import KEPT, UNPUBLISHED, Report, ReportStore

PATH = "/signalements"
ACTIONS_PATH = PATH + "/actions"
#: action -> (the state the comment must be in to move, the console action that moves it, outcome)
MOVES = {"unpublish": ("approved", "unpublish", UNPUBLISHED), "keep": ("pending", "approve", KEPT)}


@dataclass(frozen=True)
class ReportView:
    reason: str
    message: str
    received: str
    received_iso: str


def summaries(reports: list[Report]) -> tuple[ReportView, ...]:
    return tuple(ReportView(reasons.label(r.reason), r.message, views.french_datetime(r.created),
                            r.created.isoformat()) for r in reports)


def open_reports(config) -> dict[str, list[Report]]:
    return ReportStore(config.store).open_by_comment()


def handle(console, request: Request, session, sub: str, form: dict[str, list[str]]) -> Response:
    if sub == PATH and request.method in ("GET", "HEAD"):
        return listing(console, request, session)
    if sub == ACTIONS_PATH and request.method == "POST":
        return act(console, request, session, form)
    if sub in (PATH, ACTIONS_PATH):
        raise HTTPError(405, console_texts.METHOD_NOT_ALLOWED,
                        [("Allow", "GET, HEAD" if sub == PATH else "POST")])
    raise HTTPError(404, console_texts.NOT_FOUND)


def listing(console, request: Request, session) -> Response:
    found = open_reports(console.config)
    items = []
    for comment_id, reports in found.items():
        try:
            comment = console.store.get(comment_id)
        except (InvalidId, NotFound, DamagedComment):
            continue  # deleted or damaged: nothing to moderate here
        items.append(views.item(comment, console.threads.get(comment.thread), console.config.site_url,
                                console.store.reply_for(comment.id), reports=summaries(reports)))
    items.sort(key=lambda i: (-len(i.reports), i.id))
    html = views.render("reports.html", **console.common(session, request), items=items,
                        action_url=web.url(console.config, ACTIONS_PATH))
    return web.page(console.config, 200, html)


def act(console, request: Request, session, form: dict[str, list[str]]) -> Response:
    back = web.url(console.config, PATH)
    action, _, comment_id = web.first(form, "un").partition(":")
    if action not in MOVES or not is_comment_id(comment_id):
        console.flash(session, [], [console_texts.NOT_HERE])
        return web.redirect(back)
    try:
        comment = console.store.get(comment_id)
    except (NotFound, DamagedComment):
        console.flash(session, [], [console_texts.GONE])
        return web.redirect(back)
    move_from, console_action, outcome = MOVES[action]
    actor = console.actor(request, session)
    status, alerts = [], []
    if comment.status == move_from:
        result = apply(console.store, console.audit, actor, console_action, [comment_id], move_from, {})
        status, alerts = result.messages(console_action, console.config.publication)
        if not result.done:
            console.flash(session, [], alerts)
            return web.redirect(back)
    elif action == "keep" and comment.status != "approved":
        console.flash(session, [], [console_texts.NOT_HERE])
        return web.redirect(back)
    closed = ReportStore(console.config.store).close(comment_id, outcome)
    console.audit.append(actor.account, "reports-close", comment_id=comment_id, thread=comment.thread,
                         source="console", address=actor.address, outcome=outcome, reports=len(closed))
    done = texts.DONE_KEEP if action == "keep" else texts.DONE_UNPUBLISH
    console.flash(session, [done, *status[1:]], alerts)
    return web.redirect(back)

