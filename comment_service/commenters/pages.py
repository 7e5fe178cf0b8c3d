"""The pages behind the commenters' links (service routes under the prefix).

    GET  /confirmation/<token>     a button;   POST: confirms the subscription
    GET  /mon-commentaire/<token>  what is held about the comment, two buttons;
                                   POST: withdraws the comment (personal_data.erase)
    GET  /desabonnement/<token>    a button;   POST: stops the mails (RFC 8058 one-click)

A GET never changes anything (mail scanners follow links). A POST must carry
a valid token in its URL (unguessable: an HMAC bound to the comment and its
address) and, when the browser sends one, an allowed Origin: that is the
CSRF defence (the body is not read; a one-click unsubscribe posts
``List-Unsubscribe=One-Click`` without Origin). Every invalid link (unknown
or erased comment, altered, expired, or the address gone) gets the same
404 page, whether the comment exists or not.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from .. import defaults
from ..rules import messages as msg
from ..ops.audit import AuditError, AuditLog
from ..config import load_shared
from ..web.httpio import HTTPError, Request
from ..ops.personal_data import erase  # withdrawal: the same code as `personal-data erase --id`
from ..web.present import site_origin
from ..web.render import Response, environment, html_response
from ..store import CommentStore, DamagedComment, InvalidId, NotFound
from . import links
from .records import Subscriptions, stamp
from .sender import LinkSettings, urls

log = logging.getLogger("comment_service.commenters")
ROUTE_RE = re.compile(rf"(?P<route>{defaults.CONFIRM_PATH}|{defaults.RIGHTS_PATH}|{defaults.UNSUBSCRIBE_PATH})"
                      r"/(?P<token>[^/]{1,200})")
DUMMY_ADDRESS = "personne@invalid.example"


def match(path: str) -> tuple[str, str] | None:
    found = ROUTE_RE.fullmatch(path)
    return (found["route"], found["token"]) if found else None


class CommenterPages:
    def __init__(self, config, store: CommentStore, clock):
        self.config, self.store, self.clock = config, store, clock
        self.subs = Subscriptions(store)
        self.links = LinkSettings(config.secret, config.site_url, config.prefix)
        self.window_days = _window_days()

    def handle(self, request: Request, route: str, token: str) -> Response:
        if request.method not in ("GET", "HEAD", "POST"):
            raise HTTPError(405, msg.METHOD_NOT_ALLOWED, [("Allow", "GET, HEAD, POST")])
        purpose = links.CONFIRM if route == defaults.CONFIRM_PATH else links.RIGHTS
        comment = self.lookup(token, purpose)
        if comment is None:
            return self.invalid()
        if request.method != "POST":
            if route == defaults.RIGHTS_PATH:
                return self.rights_page(comment)
            here = f"{self.config.prefix}{route}/{token}"
            if route == defaults.CONFIRM_PATH:
                return self.page(msg.CONFIRM_TITLE, msg.CONFIRM_TEXT, [(msg.CONFIRM_BUTTON, here, False)])
            return self.page(msg.UNSUBSCRIBE_TITLE, msg.UNSUBSCRIBE_TEXT, [(msg.UNSUBSCRIBE_BUTTON, here, False)])
        if not request.origin_allowed():
            raise HTTPError(403, msg.FORBIDDEN_ORIGIN)
        if route == defaults.CONFIRM_PATH:
            return self.confirm(comment)
        if route == defaults.UNSUBSCRIBE_PATH:
            return self.stop(comment)
        return self.withdraw(comment)

    # -- the token ------------------------------------------------------------------
    def lookup(self, token: str, purpose: str):
        """The comment a valid token names, else None (the same work either way)."""
        comment_id = links.comment_id(token)
        comment = None
        if comment_id is not None:
            try:
                comment = self.store.get(comment_id)
            except (InvalidId, NotFound, DamagedComment):
                comment = None
        email = comment.email if comment is not None and comment.email else DUMMY_ADDRESS
        if not links.verify(self.config.secret, purpose, token, email, self.clock()) or comment is None:
            return None
        return comment

    # -- actions --------------------------------------------------------------------
    def confirm(self, comment) -> Response:
        def confirm(sub):
            if sub.state != "requested":
                return False
            sub.state, sub.confirmed_at = "confirmed", stamp(self.clock())
        sub = self.subs.update(comment.id, confirm)
        if sub is None or sub.state != "confirmed" or self.subs.suppressed(comment.email):
            return self.invalid()
        log.info("subscription of comment %s confirmed", comment.id)
        return self.rights_page(comment, notice=msg.CONFIRMED)

    def stop(self, comment) -> Response:
        def stop(sub):
            sub.state = "stopped"
        self.subs.update(comment.id, stop)
        self.subs.suppress(comment.email)
        log.info("subscription of comment %s stopped by its commenter; address suppressed", comment.id)
        return self.page(msg.UNSUBSCRIBE_TITLE, msg.STOPPED, [])

    def withdraw(self, comment) -> Response:
        report = erase(self.store, None, comment.id, anonymise=False)
        self.subs.remove(comment.id)
        try:
            AuditLog(self.store.root).append("commenter", "personal-data-erase", comment_id=comment.id,
                                             thread=comment.thread, source="rights-page", mode="deleted",
                                             replies_removed=report.replies_removed)
        except AuditError as exc:
            log.error("comment %s withdrawn, but the audit log could not record it: %s", comment.id, exc)
        log.info("comment %s withdrawn by its commenter", comment.id)
        return self.page(msg.RIGHTS_TITLE, msg.WITHDRAWN, [])

    # -- pages ------------------------------------------------------------------------
    def rights_page(self, comment, notice: str | None = None) -> Response:
        sub = self.subs.get(comment.id)
        _confirm, rights, unsubscribe = urls(self.links, comment.id, comment.email, self.clock())
        f = msg.RIGHTS_FIELDS
        held = [(f["text"], comment.text), (f["name"], comment.name), (f["email"], comment.email),
                (f["state"], msg.STATE_LABELS.get(comment.status, comment.status)),
                (f["created"], _date(comment.created_at)),
                (f["moderated"], _date(comment.moderated_at) if comment.moderated_at else "—"),
                (f["notifications"], msg.NOTIFY_STATE_LABELS[sub.state if sub else "none"])]
        forms = [(msg.WITHDRAW_BUTTON, _path(rights), True)]
        if sub is not None and sub.state != "stopped":
            forms.insert(0, (msg.STOP_BUTTON, _path(unsubscribe), False))
        retention = msg.RIGHTS_RETENTION.format(days=self.window_days)
        return self.page(msg.RIGHTS_TITLE, msg.RIGHTS_INTRO, forms, held=held, notice=notice, retention=retention)

    def page(self, title: str, message: str, forms, status: int = 200, **extra) -> Response:
        page = environment().get_template("commenter_page.html").render(
            title=title, message=message, forms=forms, site_url=self.config.site_url,
            held=extra.get("held"), notice=extra.get("notice"), retention=extra.get("retention"),
            withdraw_text=msg.WITHDRAW_TEXT)
        return html_response(status, page, site_origin(self.config), [("X-Robots-Tag", "noindex")])

    def invalid(self) -> Response:
        return self.page(msg.LINK_INVALID_TITLE, msg.LINK_INVALID.format(email=self.config.contact_email), [],
                         status=404)


def _window_days() -> int:
    try:
        return load_shared().notify_window_days
    except Exception:  # a bad setting is reported by the commands; the page shows the default
        return defaults.NOTIFY_WINDOW_DAYS


def _date(value: str) -> str:
    """'2026-12-07T16:03:00Z' -> '07/12/2026 à 16:03 (UTC)'."""
    try:
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]} à {value[11:16]} (UTC)"
    except (TypeError, IndexError):
        return value


def _path(url: str) -> str:
    """The path of one of our URLs (forms post to the service itself: CSP form-action 'self')."""
    return urlsplit(url).path
