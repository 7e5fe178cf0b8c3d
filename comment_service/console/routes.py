"""The console's routes: who may see what, then one handler per page.

Under ``<prefix>/moderation``: ``/`` (the queue), ``/publies``, ``/refuses``
(GET, with ``fil``, ``q``, ``page``), ``/actions`` (POST: one comment's button
or a selection), ``/reponse/<id>`` (GET, POST), ``/connexion`` (GET, POST),
``/deconnexion`` (POST), ``/publications`` (GET: the site's publications,
``publications.py``), ``/apercu-acces`` (nginx's ``auth_request`` for the
previews: 204 or 401), ``/double-authentification`` (GET, POST, and
``/double-authentification/qr.svg``) and ``/console.css``. Every page needs a
logged-in session except the login page and the stylesheet; every POST
needs the session's CSRF token.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from ..accessibility import console as accessibility
from ..rules import reasons
from ..ops.audit import AuditError, AuditLog
from ..guard.sqlite import GuardError
from ..web.httpio import HTTPError, Request
from ..web.render import Response
from ..store import DamagedComment, InvalidId, NotFound, StoreError, is_comment_id
from ..reports import console as reports_console
from . import auth, csrf, publications, replying, texts, views, web
from .actions import Actor, apply
from .sessions import SESSIONS_NAME, Session, SessionError, Sessions

log = logging.getLogger("comment_service.console")

_REPLY_RE = re.compile(r"/reponse/(?P<id>[0-9A-Za-z-]{1,64})")
_STATES_BY_PATH = {path: state for state, path in views.VIEW_PATHS.items()}
_CSS = Path(__file__).resolve().parent / "console.css"
#: Answers nginx's auth_request for the previews (publisher/git/preview.py):
#: 204 to a logged-in console user (the production session cookie has Path=/),
#: 401 otherwise. Never a page.
PREVIEW_ACCESS = "/apercu-acces"


class Console:
    def __init__(self, config, store, threads, guard, clock, accounts):
        self.config, self.store, self.threads, self.guard, self.clock = config, store, threads, guard, clock
        self.accounts = accounts
        self.audit = AuditLog(config.store)
        self.sessions = Sessions(config.store / SESSIONS_NAME, config.session_idle, config.session_max,
                                 config.secret)

    # -- entry point -------------------------------------------------------------
    def handle(self, request: Request, sub: str) -> Response:
        """The answer to one console request; a refusal is a console page too."""
        try:
            return self._handle(request, sub)
        except HTTPError as exc:
            status, message, headers = exc.status, exc.message, exc.headers
        except (SessionError, AuditError, GuardError, StoreError) as exc:
            log.error("console: storage failure on %s %r: %s", request.method, sub[:200], exc)
            status, message, headers = 503, texts.STORE_FAILED, [("Retry-After", "60")]
        html = views.render("error.html", site_url=self.config.site_url, status=status, message=message,
                            url=lambda s="/", **p: web.url(self.config, s, **p))
        return web.page(self.config, status, html, headers)

    def _handle(self, request: Request, sub: str) -> Response:
        if sub == "":
            return web.redirect(web.url(self.config))
        if sub == "/console.css":
            _allow(request, ("GET", "HEAD"))
            return Response(200, [("Content-Type", "text/css; charset=utf-8"), ("Cache-Control", "no-cache"),
                                  ("X-Content-Type-Options", "nosniff")], _CSS.read_bytes())
        if sub == "/connexion":
            return auth.login(self, request)
        session = self.logged_in(request)
        if sub == PREVIEW_ACCESS:  # nginx's auth_request for /apercu/ (previews)
            _allow(request, ("GET", "HEAD"))
            if session:
                return Response(204, [("Cache-Control", "no-store")], b"")
            return Response(401, [("Cache-Control", "no-store"),
                                  ("Content-Type", "text/plain; charset=utf-8")], b"")
        if session is None:
            if request.method == "POST":
                raise HTTPError(403, texts.SESSION_EXPIRED)
            return web.redirect(web.url(self.config, "/connexion"))
        form = self.checked_form(session, request) if request.method == "POST" else {}
        return self.route(request, sub, session, form)

    def route(self, request: Request, sub: str, session: Session, form: dict[str, list[str]]) -> Response:
        if sub in _STATES_BY_PATH:
            _allow(request, ("GET", "HEAD"))
            return self.listing(request, session, _STATES_BY_PATH[sub])
        if sub == "/actions":
            _allow(request, ("POST",))
            return self.act(request, session, form)
        if sub == "/publications":
            _allow(request, ("GET", "HEAD"))
            html = views.render("publications.html", **self.common(session, request),
                                **publications.context(self.config.site_root))
            return web.page(self.config, 200, html)
        if sub == "/deconnexion":
            _allow(request, ("POST",))
            return auth.logout(self, request, session)
        if sub.startswith("/double-authentification"):
            return auth.totp(self, request, session, sub, form)
        if accessibility.matches(sub):  # the accessibility requests (accessibility/console.py)
            return accessibility.handle(self, request, session, sub, form)
        if sub.startswith(reports_console.PATH):  # « Signalements » (reports/console.py)
            return reports_console.handle(self, request, session, sub, form)
        match = _REPLY_RE.fullmatch(sub)
        if match and is_comment_id(match["id"]):
            _allow(request, ("GET", "HEAD", "POST"))
            return replying.handle(self, request, session, match["id"], form)
        raise HTTPError(404, texts.NOT_FOUND)

    # -- sessions -------------------------------------------------------------------
    def logged_in(self, request: Request) -> Session | None:
        session = self.sessions.load(web.cookie(request), self.clock())
        if session is None or session.account is None:
            return None
        if self.accounts.get(session.account) is None:  # the account was removed
            self.sessions.end(session.sid)
            return None
        return session

    def checked_form(self, session: Session, request: Request) -> dict[str, list[str]]:
        """The posted form, once its CSRF token is the session's (else 403)."""
        fields = web.read_form(request)
        if not csrf.valid(session.csrf, web.first(fields, csrf.FIELD)):
            raise HTTPError(403, texts.CSRF_FAILED)
        return fields

    def flash(self, session: Session, status: list[str], alerts: list[str] = ()) -> None:
        self.sessions.set_flash(session, json.dumps({"status": list(status), "alerts": list(alerts)},
                                                    ensure_ascii=False))

    def take_flash(self, session: Session) -> dict:
        raw = self.sessions.pop_flash(session)
        try:
            return json.loads(raw) if raw else {"status": [], "alerts": []}
        except ValueError:
            return {"status": [], "alerts": []}

    def actor(self, request: Request, session: Session) -> Actor:
        return Actor(session.account, request.client)

    def common(self, session: Session, request: Request) -> dict:
        """What every console page needs."""
        return {"config": self.config, "site_url": self.config.site_url, "account": session.account,
                "csrf": session.csrf, "url": lambda sub="/", **p: web.url(self.config, sub, **p),
                "flash": self.take_flash(session) if request.method in ("GET", "HEAD") else
                {"status": [], "alerts": []}}

    # -- the lists ----------------------------------------------------------------------
    def listing(self, request: Request, session: Session, state: str) -> Response:
        q = web.query(request)
        thread, search = web.first(q, "fil"), web.first(q, "q")[:200]
        try:
            page_number = int(web.first(q, "page", "1"))
        except ValueError:
            page_number = 1
        everything = self.store.list(state)
        threads = sorted({c.thread for c in everything})
        chosen = [c for c in everything if (not thread or c.thread == thread) and views.matches(c, search)]
        page = views.paginate(views.order(chosen, state), page_number)
        replies = {c.id: self.store.reply_for(c.id) for c in page.comments}
        reported = reports_console.open_reports(self.config)
        items = [views.item(c, self.threads.get(c.thread), self.config.site_url, replies[c.id],
                            reports=reports_console.summaries(reported.get(c.id, []))) for c in page.comments]
        thread_options = [(t, (self.threads.get(t).title if self.threads.get(t) else t)) for t in threads]
        html = views.render("list.html", **self.common(session, request), state=state, items=items, page=page,
                            thread=thread, search=search, thread_options=thread_options,
                            actions=views.ACTIONS[state], reasons=reasons.REASONS,
                            default_reason=reasons.DEFAULT_REASON, path=views.VIEW_PATHS[state])
        return web.page(self.config, 200, html)

    # -- actions --------------------------------------------------------------------------
    def act(self, request: Request, session: Session, form: dict[str, list[str]]) -> Response:
        state = web.first(form, "vue")
        if state not in views.ACTIONS:
            raise HTTPError(400, texts.CSRF_FAILED)
        action, ids = _chosen(form)
        back = web.url(self.config, views.VIEW_PATHS[state], fil=web.first(form, "fil"),
                       q=web.first(form, "q"), page=web.first(form, "page"))
        if action not in views.ACTIONS[state] or not ids:
            self.flash(session, [], [texts.NOTHING_SELECTED if action in views.ACTIONS[state] else texts.NOT_HERE])
            return web.redirect(back)
        reason = {}
        if action == "reject":
            for comment_id in ids:
                key = web.first(form, f"motif-{comment_id}") or web.first(form, "motif")
                if not reasons.is_reason(key):
                    self.flash(session, [], [texts.BAD_REASON])
                    return web.redirect(back)
                reason[comment_id] = key
        if action == "delete" and web.first(form, "confirmer") != "oui":
            return self.confirm_delete(request, session, state, ids, form)
        result = apply(self.store, self.audit, self.actor(request, session), action, ids, state, reason)
        self.flash(session, *result.messages(action, self.config.publication))
        return web.redirect(back)

    def confirm_delete(self, request, session, state, ids, form) -> Response:
        found = []
        for comment_id in ids:
            try:
                comment = self.store.get(comment_id)
            except (NotFound, DamagedComment, InvalidId):  # nothing to confirm for it
                continue
            found.append(views.item(comment, self.threads.get(comment.thread), self.config.site_url, None))
        html = views.render("confirm_delete.html", **self.common(session, request), items=found, state=state,
                            fil=web.first(form, "fil"), q=web.first(form, "q"), page_number=web.first(form, "page"),
                            back=web.url(self.config, views.VIEW_PATHS[state]))
        return web.page(self.config, 200, html)


def _chosen(form: dict[str, list[str]]) -> tuple[str, list[str]]:
    """(action, comment ids): one comment's button (``un=ACTION:ID``) or the
    selection (``action`` and every ``id``), duplicates and bad ids left out."""
    one = web.first(form, "un")
    if one:
        action, _, comment_id = one.partition(":")
        return action, [comment_id] if is_comment_id(comment_id) else []
    ids = [i for i in dict.fromkeys(form.get("id", [])) if is_comment_id(i)]
    return web.first(form, "action"), ids


def _allow(request: Request, methods: tuple[str, ...]) -> None:
    if request.method not in methods:
        raise HTTPError(405, texts.METHOD_NOT_ALLOWED, [("Allow", ", ".join(methods))])
