"""The WSGI shell (PEP 3333): routing, then each route parses its request and
presents one answer.

The request is read by httpio (environ, size limits, form and JSON decoding),
a posted comment is decided by decision.decide() (thread, origin, fields,
captcha, spend, rate, store) and its outcome presented by present.py, as JSON
or as the HTML form. URLs the service hands out start with ``config.prefix``;
a ``SCRIPT_NAME`` (set by a mounting server, or by gunicorn from a client's
header) never changes them.
"""

from __future__ import annotations

import logging
import re
import time

from ..captcha import challenge as captcha, media
from .. import defaults
from ..rules import messages as msg
from . import present
from ..accessibility import intake as accessibility
from ..commenters import pages as commenter_pages
from ..config import Config
from .decision import Deps, Post, decide, new_challenge, open_thread
from ..guard.sqlite import GuardError, open_guard
from .httpio import HTTPError, Request, route_path
from .render import Response, json_response
from ..reports import pages as report_pages
from ..reports.pages import ReportPages
from ..store import CommentStore, StoreError, is_thread_id
from .threads import ThreadIndex

log = logging.getLogger("comment_service")

# Routes, matched with fullmatch() (a trailing newline is no match).
_MEDIA_RE = re.compile(r"/captcha/(?P<token>[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64})\.(?P<ext>png|mp3)")
_THREAD_PATH_RE = re.compile(r"/fils/(?P<thread>[^/]*)/?")


class App:
    """The comment service as a WSGI callable."""

    def __init__(self, config: Config, clock=time.time):
        self.config = config
        self.clock = clock
        self.deps = Deps(config=config, guard=open_guard(config),
                         store=CommentStore(config.store), threads=ThreadIndex(config.threads_file), clock=clock)
        self.commenters = commenter_pages.CommenterPages(config, self.deps.store, clock)
        self.reports = ReportPages(self.deps)  # « Signaler ce commentaire » (reports/)
        self.console = None
        if config.console:  # the moderation console (comment_service/console/)
            from ..console import Console
            from ..console.accounts import Accounts
            self.console = Console(config, self.deps.store, self.deps.threads, self.deps.guard, clock,
                                   Accounts(config.store))

    # -- WSGI entry point ----------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ, self.config)
        try:
            response = self.dispatch(request)
        except Exception:  # never leak a traceback to the visitor
            log.exception("unhandled error on %s %r", request.method, environ.get("PATH_INFO", "")[:200])
            response = present.error(self.config, request, 500, msg.UNAVAILABLE)
        body = b"" if request.method == "HEAD" else response.body
        headers = list(response.headers)
        if response.status not in (204, 304):
            headers.append(("Content-Length", str(len(response.body))))
        start_response(response.status_line, headers)
        return [body]

    def dispatch(self, request: Request) -> Response:
        path = route_path(request.environ, self.config.prefix)
        try:
            return self.route(request, path)
        except HTTPError as exc:
            if exc.status >= 400:
                log.info("refused %s %r from %s: %d %s", request.method, path[:200],
                         self.deps.guard.label(request.client),
                         exc.status, exc.message)
            return present.error(self.config, request, exc.status, exc.message, exc.headers, exc.errors)
        except (GuardError, StoreError) as exc:
            log.error("storage failure on %s %r: %s", request.method, path[:200], exc)
            return present.error(self.config, request, 503, msg.UNAVAILABLE, [("Retry-After", "60")])

    def route(self, request: Request, path: str) -> Response:
        if path == "/sante":
            self.allow(request, ("GET", "HEAD"))
            return self.health()
        if path == "/captcha":
            if request.method == "OPTIONS":
                return self.preflight(request, "GET")
            self.allow(request, ("GET", "HEAD", "OPTIONS"))
            return self.new_captcha(request)
        match = _MEDIA_RE.fullmatch(path)
        if match:
            self.allow(request, ("GET", "HEAD"))
            return self.captcha_media(request, match["token"], match["ext"])
        match = _THREAD_PATH_RE.fullmatch(path)
        if match and is_thread_id(match["thread"]):
            if request.method == "OPTIONS":
                return self.preflight(request, "POST")
            if request.method != "POST" and open_thread(self.deps, match["thread"]) is None:
                raise HTTPError(404, msg.THREAD_NOT_FOUND)  # no such resource, whatever the method
            self.allow(request, ("POST", "OPTIONS"))
            return self.post_comment(request, match["thread"])
        reported = report_pages.match(path)
        if reported:
            return self.reports.handle(request, reported)
        commenter_route = commenter_pages.match(path)  # the commenters' links (commenters/pages.py)
        if commenter_route:
            return self.commenters.handle(request, *commenter_route)
        if path in accessibility.ROUTES:  # the accessibility requests (accessibility/intake.py)
            return accessibility.handle(self.deps, request, path)
        if path == defaults.CONSOLE_PATH or path.startswith(defaults.CONSOLE_PATH + "/"):
            if self.console is None:  # COMMENTS_MODERATION_CONSOLE=off
                raise HTTPError(404, msg.NOT_FOUND)
            return self.console.handle(request, path[len(defaults.CONSOLE_PATH):])
        raise HTTPError(404, msg.NOT_FOUND)

    # -- helpers ------------------------------------------------------------
    @staticmethod
    def allow(request: Request, methods: tuple[str, ...]) -> None:
        if request.method not in methods:
            raise HTTPError(405, msg.METHOD_NOT_ALLOWED, [("Allow", ", ".join(methods))])

    @staticmethod
    def preflight(request: Request, method: str) -> Response:
        if request.origin and not request.origin_allowed():
            raise HTTPError(403, msg.FORBIDDEN_ORIGIN)
        headers = [("Allow", f"{method}, OPTIONS")]
        if request.origin:
            headers += [
                ("Access-Control-Allow-Origin", request.origin),
                ("Access-Control-Allow-Methods", f"{method}, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type"),
                ("Access-Control-Max-Age", "600"),
                ("Vary", "Origin"),
            ]
        return Response(204, headers, b"")

    # -- routes --------------------------------------------------------------
    def health(self) -> Response:
        if not self.deps.store.healthy():
            log.error("health check: store %s is not writable", self.config.store)
            return json_response(503, {"status": "error", "message": msg.UNAVAILABLE})
        return json_response(200, {"status": "ok"})

    def new_captcha(self, request: Request) -> Response:
        if not request.origin_allowed():
            raise HTTPError(403, msg.FORBIDDEN_ORIGIN)
        challenge, retry = new_challenge(self.deps, request.client)
        if challenge is None:
            raise HTTPError(429, msg.CAPTCHA_RATE_LIMITED.format(minutes=msg.minutes(retry)),
                            [("Retry-After", str(retry))])
        view = present.captcha_view(self.config, challenge)
        return json_response(200, {"token": view.token, "image": view.image_url, "audio": view.audio_url,
                                   "expires_in": self.config.captcha_ttl}, request.cors_headers())

    def captcha_media(self, request: Request, token: str, ext: str) -> Response:
        # Every request counts (a live token must not be fetched without end:
        # each image costs CPU, each WAV ~0.5 MB), in a bucket of its own.
        now = self.clock()
        decision = self.deps.guard.hit("media", request.client, self.config.media_rate_limit, now)
        if not decision.allowed:
            retry = decision.retry_after
            log.info("rate limit media reached for %s (retry after %ds)", self.deps.guard.label(request.client),
                     retry)
            raise HTTPError(429, msg.MEDIA_RATE_LIMITED.format(minutes=msg.minutes(retry)),
                            [("Retry-After", str(retry))])
        secret, ttl = self.config.secret, self.config.captcha_ttl
        challenge = captcha.is_live(token, secret, now=now, ttl=ttl)
        if challenge is None:
            raise HTTPError(404, msg.CAPTCHA_EXPIRED)
        answer = captcha.answer_for(token, secret)
        if ext == "png":
            body, ctype = media.png(answer, captcha.image_seed(challenge, secret)), "image/png"
        else:
            body, ctype = media.mp3(answer, captcha.audio_seed(challenge, secret)), "audio/mpeg"
        # The same token always gives the same bytes: the browser may keep them
        # (not shared caches) for the rest of the token's life.
        remaining = max(0, (ttl * 1000 - (int(now * 1000) - challenge.issued_at_ms)) // 1000)
        return Response(200, [("Content-Type", ctype), ("Cache-Control", f"private, max-age={remaining}"),
                              ("X-Content-Type-Options", "nosniff")] + request.cors_headers(), body)

    def post_comment(self, request: Request, thread_id: str) -> Response:
        """Parse, decide, present: the only route that decides anything about comments."""
        form = request.kind == "form"
        post = Post(thread_id=thread_id, client=request.client, origin_allowed=request.origin_allowed(),
                    form=form, read=request.read_fields)
        return present.outcome_response(self.deps, request, decide(self.deps, post), form)


def create_app(config: Config, clock=time.time) -> App:
    """Build the WSGI application from a configuration (tests call this).

    ``clock`` returns the current time in seconds since the epoch.
    """
    return App(config, clock=clock)
