"""The thin WSGI adapter (PEP 3333): routing, request parsing with size
limits, content negotiation between an HTML form post and a JSON ``fetch``.

Decisions live in the pure modules (validation, captcha, render); the disk is
touched by the store (comments), the guard (spent captchas, rate limits) and
the threads manifest reader.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from . import captcha, media
from . import messages as msg
from .config import Config, RateLimit
from .guard import Guard, GuardError
from .render import (CaptchaView, FormView, Response, form_page, html_response, json_response,
                     message_page)
from .store import THREAD_RE, CommentStore, StoreError
from .threads import Thread, ThreadIndex
from .validation import ACTION_REGENERATE, FIELDS, Submission, validate

log = logging.getLogger("comment_service")

FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"
MAX_FIELDS = 20
_MEDIA_RE = re.compile(r"^/captcha/(?P<token>[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,64})\.(?P<ext>png|wav)$")
_THREAD_PATH_RE = re.compile(r"^/fils/(?P<thread>[^/]*)/?$")
_CONTENT_LENGTH_RE = re.compile(r"[0-9]{1,12}")


def route_path(environ: dict, prefix: str) -> str:
    """The route relative to the service's prefix.

    Works when the app is mounted (SCRIPT_NAME=/commentaires, PATH_INFO=/captcha)
    and when it is served at the root with the prefix kept in PATH_INFO
    (SCRIPT_NAME='', PATH_INFO=/commentaires/captcha), as behind nginx.
    """
    path = environ.get("PATH_INFO", "") or "/"
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix):] or "/"
    return path


def public_base(environ: dict, prefix: str) -> str:
    """Absolute path under which visitors reach the service (for image/audio/form URLs)."""
    script = environ.get("SCRIPT_NAME", "").rstrip("/")
    return script or prefix


class HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None,
                 errors: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers, self.errors = status, message, headers or [], errors


@dataclass
class Request:
    environ: dict
    config: Config

    @property
    def method(self) -> str:
        return self.environ.get("REQUEST_METHOD", "GET").upper()

    def header(self, name: str) -> str:
        key = "HTTP_" + name.upper().replace("-", "_")
        return self.environ.get(key, "")

    @property
    def content_type(self) -> tuple[str, dict[str, str]]:
        raw = self.environ.get("CONTENT_TYPE", "") or ""
        main, *params = raw.split(";")
        parsed = {}
        for p in params:
            if "=" in p:
                k, v = p.split("=", 1)
                parsed[k.strip().lower()] = v.strip().strip('"').lower()
        return main.strip().lower(), parsed

    @property
    def kind(self) -> str | None:
        """'form' or 'json' for an accepted body type, else None."""
        main, params = self.content_type
        charset = params.get("charset", "utf-8")
        if charset not in ("utf-8", "utf8"):
            return None
        return {FORM_TYPE: "form", JSON_TYPE: "json"}.get(main)

    @property
    def wants_html(self) -> bool:
        main = self.content_type[0]
        if self.method == "POST" and main == JSON_TYPE:
            return False
        if self.method == "POST" and main == FORM_TYPE:
            return True
        accept = self.header("Accept").lower()
        return "text/html" in accept and "application/json" not in accept

    @property
    def client(self) -> str:
        """Rate-limit key: the client address (IPv6 grouped by /64)."""
        addr = self.environ.get("REMOTE_ADDR", "") or "unknown"
        trusted = self.config.trusted_proxies
        if trusted and addr in trusted:
            forwarded = [a.strip() for a in self.header("X-Forwarded-For").split(",") if a.strip()]
            for candidate in reversed(forwarded):
                try:
                    candidate = str(ipaddress.ip_address(candidate))
                except ValueError:
                    break
                if candidate not in trusted:
                    addr = candidate
                    break
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return addr[:64]
        if ip.version == 6:
            if ip.ipv4_mapped:
                return str(ip.ipv4_mapped)
            return str(ipaddress.ip_network(f"{ip}/64", strict=False))
        return str(ip)

    @property
    def origin(self) -> str:
        return self.header("Origin")

    def origin_allowed(self) -> bool:
        origin = self.origin
        if not origin:
            return True  # same-origin form posts and non-browser clients may omit it
        origin = origin.lower().rstrip("/")
        if origin in self.config.allowed_origins:
            return True
        # Development only: the request's own Host (e.g. the dev server reached as
        # localhost). Never in production: a DNS-rebinding page, or any client,
        # chooses the Host header.
        if self.config.env != "development":
            return False
        parts = urlsplit(origin)
        host = self.header("Host").lower()
        return parts.scheme in ("http", "https") and bool(host) and parts.netloc == host

    def cors_headers(self) -> list[tuple[str, str]]:
        origin = self.origin
        if origin and self.origin_allowed():
            return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin"),
                    ("Access-Control-Expose-Headers", "Retry-After")]
        return [("Vary", "Origin")]

    def read_body(self) -> bytes:
        """Read the body, refusing before reading when it is too large."""
        raw = (self.environ.get("CONTENT_LENGTH") or "").strip()
        if not raw:
            raise HTTPError(411, msg.LENGTH_REQUIRED)
        # ASCII digits only: str.isdigit() also accepts "²" or "١", which int() refuses or reads.
        if not _CONTENT_LENGTH_RE.fullmatch(raw):
            raise HTTPError(400, msg.BAD_REQUEST)
        length = int(raw)
        if length > self.config.max_body:
            raise HTTPError(413, msg.TOO_LARGE.format(max=self.config.max_body))
        stream = self.environ["wsgi.input"]
        chunks, remaining = [], length
        while remaining > 0:
            chunk = stream.read(remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        if remaining:
            raise HTTPError(400, msg.BAD_REQUEST)
        return b"".join(chunks)


def parse_form(body: bytes) -> dict[str, str]:
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise HTTPError(400, msg.BAD_ENCODING) from None
    except ValueError:
        raise HTTPError(400, msg.BAD_REQUEST) from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise HTTPError(400, msg.DUPLICATE_FIELD.format(field=key[:40]), errors={key[:40]: msg.DUPLICATE_FIELD.format(field=key[:40])})
        fields[key] = value
    return fields


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj: dict[str, object] = {}
    for key, value in pairs:
        if key in obj:
            raise HTTPError(400, msg.DUPLICATE_FIELD.format(field=key[:40]), errors={key[:40]: msg.DUPLICATE_FIELD.format(field=key[:40])})
        obj[key] = value
    return obj


def _refuse_constant(name: str):
    raise ValueError(name)


def parse_json(body: bytes) -> dict[str, object]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPError(400, msg.BAD_ENCODING) from None
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except HTTPError:
        raise
    except (ValueError, RecursionError):
        raise HTTPError(400, msg.BAD_JSON) from None
    if not isinstance(obj, dict):
        raise HTTPError(400, msg.JSON_NOT_OBJECT)
    return obj


_CAPTCHA_MESSAGES = {
    captcha.MISSING: msg.CAPTCHA_MISSING,
    captcha.INVALID: msg.CAPTCHA_EXPIRED,
    captcha.EXPIRED: msg.CAPTCHA_EXPIRED,
    captcha.TOO_FAST: msg.CAPTCHA_TOO_FAST,
    captcha.WRONG: msg.CAPTCHA_WRONG,
    "used": msg.CAPTCHA_USED,
}


class App:
    """The comment service as a WSGI callable."""

    def __init__(self, config: Config, clock=time.time):
        self.config = config
        self.clock = clock
        self.store = CommentStore(config.store)
        self.guard = Guard(config.store / "guard.sqlite3")
        self.threads = ThreadIndex(config.threads_file)
        self.site_origin = urlsplit(config.site_url)._replace(path="", query="", fragment="").geturl()

    # -- WSGI entry point ----------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ, self.config)
        try:
            response = self.dispatch(request)
        except Exception:  # never leak a traceback to the visitor
            log.exception("unhandled error on %s %s", request.method, environ.get("PATH_INFO", ""))
            response = self.error(request, 500, msg.UNAVAILABLE)
        body = b"" if request.method == "HEAD" else response.body
        headers = list(response.headers)
        if response.status not in (204, 304):
            headers.append(("Content-Length", str(len(response.body))))
        start_response(response.status_line, headers)
        return [body]

    def dispatch(self, request: Request) -> Response:
        path = route_path(request.environ, self.config.prefix)
        try:
            if path == "/sante":
                self.allow(request, ("GET", "HEAD"))
                return self.health()
            if path == "/captcha":
                if request.method == "OPTIONS":
                    return self.preflight(request, "GET")
                self.allow(request, ("GET", "HEAD", "OPTIONS"))
                return self.new_captcha(request)
            match = _MEDIA_RE.match(path)
            if match:
                self.allow(request, ("GET", "HEAD"))
                return self.captcha_media(request, match["token"], match["ext"])
            match = _THREAD_PATH_RE.match(path)
            if match and THREAD_RE.match(match["thread"]):
                if request.method == "OPTIONS":
                    return self.preflight(request, "POST")
                self.allow(request, ("POST", "OPTIONS"))
                return self.post_comment(request, match["thread"])
            raise HTTPError(404, msg.NOT_FOUND)
        except HTTPError as exc:
            if exc.status >= 400:
                log.info("refused %s %s from %s: %d %s", request.method, path[:200], request.client,
                         exc.status, exc.message)
            return self.error(request, exc.status, exc.message, exc.headers, exc.errors)
        except (GuardError, StoreError) as exc:
            log.error("storage failure on %s %s: %s", request.method, path[:200], exc)
            return self.error(request, 503, msg.UNAVAILABLE, [("Retry-After", "60")])

    # -- helpers ------------------------------------------------------------
    def allow(self, request: Request, methods: tuple[str, ...]) -> None:
        if request.method not in methods:
            raise HTTPError(405, msg.METHOD_NOT_ALLOWED, [("Allow", ", ".join(methods))])

    def error(self, request: Request, status: int, message: str,
              headers: list[tuple[str, str]] | None = None, errors: dict[str, str] | None = None) -> Response:
        headers = list(headers or []) + request.cors_headers()
        if request.wants_html:
            page = message_page(_TITLES.get(status, "Erreur"), message, self.config.site_url)
            return html_response(status, page, self.site_origin, headers)
        body: dict[str, object] = {"message": message}
        if errors:
            body["errors"] = errors
        return json_response(status, body, headers)

    def preflight(self, request: Request, method: str) -> Response:
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

    def base(self, request: Request) -> str:
        return public_base(request.environ, self.config.prefix)

    def captcha_view(self, request: Request, challenge: captcha.Challenge) -> CaptchaView:
        base = self.base(request)
        return CaptchaView(challenge.token, f"{base}/captcha/{challenge.token}.png",
                           f"{base}/captcha/{challenge.token}.wav")

    def rate(self, bucket: str, request: Request, limit: RateLimit):
        decision = self.guard.hit(bucket, request.client, limit, self.clock())
        if not decision.allowed:
            log.info("rate limit %s reached for %s (retry after %ds)", bucket, request.client, decision.retry_after)
        return decision

    def issue_captcha(self, request: Request) -> tuple[captcha.Challenge | None, int]:
        """A new challenge, or (None, retry_after) when this client asked for too many."""
        decision = self.rate("captcha", request, self.config.captcha_rate_limit)
        if not decision.allowed:
            return None, decision.retry_after
        return captcha.issue(self.config.secret, self.clock()), 0

    # -- routes --------------------------------------------------------------
    def health(self) -> Response:
        if not self.store.healthy():
            log.error("health check: store %s is not writable", self.config.store)
            return json_response(503, {"status": "error", "message": msg.UNAVAILABLE})
        return json_response(200, {"status": "ok"})

    def new_captcha(self, request: Request) -> Response:
        if not request.origin_allowed():
            raise HTTPError(403, msg.FORBIDDEN_ORIGIN)
        challenge, retry = self.issue_captcha(request)
        if challenge is None:
            raise HTTPError(429, msg.CAPTCHA_RATE_LIMITED.format(minutes=msg.minutes(retry)),
                            [("Retry-After", str(retry))])
        view = self.captcha_view(request, challenge)
        return json_response(200, {"token": view.token, "image": view.image_url, "audio": view.audio_url,
                                   "expires_in": self.config.captcha_ttl}, request.cors_headers())

    def captcha_media(self, request: Request, token: str, ext: str) -> Response:
        # Every request counts (a live token must not be fetched without end:
        # each image costs CPU, each WAV ~0.5 MB), in a bucket of its own.
        decision = self.rate("media", request, self.config.media_rate_limit)
        if not decision.allowed:
            retry = decision.retry_after
            raise HTTPError(429, msg.MEDIA_RATE_LIMITED.format(minutes=msg.minutes(retry)),
                            [("Retry-After", str(retry))])
        secret, ttl = self.config.secret, self.config.captcha_ttl
        now = self.clock()
        challenge = captcha.is_live(token, secret, now=now, ttl=ttl)
        if challenge is None:
            raise HTTPError(404, msg.CAPTCHA_EXPIRED)
        answer = captcha.answer_for(token, secret)
        if ext == "png":
            body, ctype = media.png(answer, captcha.image_seed(challenge, secret)), "image/png"
        else:
            body, ctype = media.wav(answer, captcha.audio_seed(challenge, secret)), "audio/wav"
        # The same token always gives the same bytes: the browser may keep them
        # (not shared caches) for the rest of the token's life.
        remaining = max(0, (ttl * 1000 - (int(now * 1000) - challenge.issued_at_ms)) // 1000)
        return Response(200, [("Content-Type", ctype), ("Cache-Control", f"private, max-age={remaining}"),
                              ("X-Content-Type-Options", "nosniff")] + request.cors_headers(), body)

    def post_comment(self, request: Request, thread_id: str) -> Response:
        thread = self.threads.get(thread_id)
        if thread is None or not thread.open:
            raise HTTPError(404, msg.THREAD_NOT_FOUND)
        if not request.origin_allowed():
            raise HTTPError(403, msg.FORBIDDEN_ORIGIN)
        kind = request.kind
        if kind is None:
            raise HTTPError(415, msg.UNSUPPORTED_TYPE)
        body = request.read_body()
        fields = parse_form(body) if kind == "form" else parse_json(body)
        unknown = sorted(k for k in fields if k not in FIELDS)
        if unknown:
            log.info("ignoring unknown fields %s", [u[:40] for u in unknown[:5]])

        cfg = self.config
        submission, errors = validate(fields, max_length=cfg.max_length, name_max=cfg.name_max)
        now = self.clock()

        if kind == "form" and submission.action == ACTION_REGENERATE:
            log.info("new captcha drawn on request for thread %s from %s", thread_id, request.client)
            return self.form_response(request, thread, submission, {}, 200, notice=msg.REGENERATED)

        result = captcha.check(submission.captcha_token, submission.captcha_answer, cfg.secret,
                               now=now, ttl=cfg.captcha_ttl, min_fill_seconds=cfg.min_fill_seconds)
        outcome = result.outcome
        if result.burnable:
            challenge = result.challenge
            if not self.guard.spend(challenge.nonce_hex, challenge.expires_at(cfg.captcha_ttl), now):
                outcome = "used"
        if outcome != captcha.OK:
            message = _CAPTCHA_MESSAGES[outcome]
            if outcome == captcha.WRONG and not submission.captcha_answer.strip():
                message = msg.CAPTCHA_EMPTY
            errors["captcha_answer"] = message

        if errors:
            log.info("refused comment on %s from %s: %s", thread_id, request.client,
                     ", ".join(f"{k}" for k in errors) + f" (captcha: {outcome})")
            only_captcha = set(errors) == {"captcha_answer"} and outcome == captcha.MISSING
            summary = msg.SUMMARY_CAPTCHA_ONLY if only_captcha else msg.SUMMARY
            if kind == "json":
                return json_response(400, {"message": summary, "errors": errors}, request.cors_headers())
            return self.form_response(request, thread, submission, errors, 400, summary=summary)

        decision = self.rate("comment", request, cfg.rate_limit)
        if not decision.allowed:
            retry = decision.retry_after
            text = msg.RATE_LIMITED.format(minutes=msg.minutes(retry))
            headers = [("Retry-After", str(retry))]
            if kind == "json":
                return json_response(429, {"message": msg.RATE_LIMITED_SHORT.format(minutes=msg.minutes(retry))},
                                     headers + request.cors_headers())
            return self.form_response(request, thread, submission, {}, 429, alert=text, headers=headers)

        status = "approved" if cfg.moderation == "auto" else "pending"
        try:
            comment = self.store.add(thread_id, submission.name, submission.email, submission.text, status)
        except StoreError as exc:
            self.guard.refund(decision.rowid)
            log.error("cannot store comment on %s: %s", thread_id, exc)
            if kind == "json":
                return json_response(503, {"message": msg.STORE_FAILED},
                                     [("Retry-After", "300")] + request.cors_headers())
            return self.form_response(request, thread, submission, {}, 503, alert=msg.STORE_FAILED,
                                      headers=[("Retry-After", "300")])
        log.info("stored comment %s on %s as %s from %s", comment.id, thread_id, status, request.client)
        message = msg.SUCCESS_APPROVED if status == "approved" else msg.SUCCESS_PENDING
        if kind == "json":
            return json_response(202, {"status": status, "id": comment.id, "message": message},
                                 request.cors_headers())
        location = cfg.site_url + thread.url + "#commentaire-envoye"
        return Response(303, [("Location", location), ("Cache-Control", "no-store"),
                              ("Content-Type", "text/plain; charset=utf-8")], message.encode("utf-8"))

    def form_response(self, request: Request, thread: Thread, submission: Submission, errors: dict[str, str],
                      status: int, *, summary: str | None = None, notice: str | None = None,
                      alert: str | None = None,
                      headers: list[tuple[str, str]] | None = None) -> Response:
        """The form again, every typed value kept, with a fresh captcha."""
        challenge, retry = self.issue_captcha(request)
        unavailable = None
        headers = list(headers or [])
        if challenge is None:
            unavailable = msg.CAPTCHA_RATE_LIMITED.format(minutes=msg.minutes(retry))
            if status < 400:
                status = 429
            if not any(k == "Retry-After" for k, _ in headers):
                headers.append(("Retry-After", str(retry)))
        view = FormView(
            action_url=f"{self.base(request)}/fils/{thread.id}",
            article_url=self.config.site_url + thread.url,
            article_title=thread.title,
            site_url=self.config.site_url,
            contact_email=self.config.contact_email,
            submission=submission,
            errors=errors,
            summary=summary,
            captcha=self.captcha_view(request, challenge) if challenge else None,
            captcha_unavailable=unavailable,
            notice=notice,
            alert=alert,
            max_length=self.config.max_length,
            name_max=self.config.name_max,
        )
        return html_response(status, form_page(view), self.site_origin, headers + request.cors_headers())


_TITLES = {
    400: "Envoi incorrect",
    403: "Envoi refusé",
    404: "Page introuvable",
    405: "Méthode non acceptée",
    411: "Taille de l'envoi manquante",
    413: "Envoi trop volumineux",
    415: "Format d'envoi non accepté",
    429: "Trop de demandes",
    500: "Erreur du service",
    503: "Service indisponible",
}


def create_app(config: Config, clock=time.time) -> App:
    """Build the WSGI application from a configuration (tests call this).

    ``clock`` returns the current time in seconds since the epoch.
    """
    return App(config, clock=clock)
