"""Logging in and out, and enrolling the second factor (TOTP).

Failed login attempts count against two limits of the guard: per account
name from one client address (``login-account``, the name as typed, existing
or not) and per client address across names (``login-address``). Both keys
hold the address: the one who guesses is throttled, never the account's
owner, who logs in from another address with the right password (and code)
however many guesses are made elsewhere (issue 21). Each attempt reserves its place in both windows
before the password is checked (so parallel guesses cannot overshoot), a
failure confirms it, a success gives it back. A wrong name, a wrong
password and a wrong code get the same answer, after the same work
(accounts.verify). A successful login ends the session that carried the
login form and starts a new one (new id, new CSRF token). A second-factor
code opens one session only (its time step is recorded: no replay).
"""

from __future__ import annotations

import io

import pyotp
import segno

from ..web.httpio import HTTPError, Request
from ..web.render import Response
from . import csrf, texts, views, web
from .accounts import is_name, totp_step
from .sessions import Session

_MINUTE = 60
_QR_SHOWN = "|qr"  # appended to the pending secret once its QR code has been served


def _login_page(console, request: Request, session: Session, status: int = 200, error: str | None = None,
                name: str = "", notice: str | None = None) -> Response:
    html = views.render("login.html", site_url=console.config.site_url, csrf=session.csrf, error=error,
                        name=name, notice=notice, url=lambda s="/", **p: web.url(console.config, s, **p))
    return web.page(console.config, status, html, [web.set_cookie(console.config, session.sid)])


def login(console, request: Request) -> Response:
    if request.method not in ("GET", "HEAD", "POST"):
        raise HTTPError(405, texts.METHOD_NOT_ALLOWED, [("Allow", "GET, HEAD, POST")])
    now = console.clock()
    session = console.sessions.load(web.cookie(request), now)
    if session is not None and session.account is not None and request.method != "POST":
        return web.redirect(web.url(console.config))
    if request.method != "POST":
        if session is None:  # no row before a login (sessions.anonymous)
            session = console.sessions.anonymous("", now)
        notice = console.take_flash(session)["status"]
        return _login_page(console, request, session, notice=notice[0] if notice else None)
    form = web.read_form(request)
    if session is None and web.cookie(request):
        session = console.sessions.anonymous(web.cookie(request), now)
    if session is None or not csrf.valid(session.csrf, web.first(form, csrf.FIELD)):
        fresh = console.sessions.anonymous("", now)
        return _login_page(console, request, fresh, 403, texts.CSRF_FAILED)
    name = web.first(form, "identifiant").strip().lower()[:64]
    password, code = web.first(form, "mot_de_passe")[:1024], web.first(form, "code")[:32]
    limits = (("login-account", f"{name}\n{request.client}", console.config.login_rate_limit),
              ("login-address", request.client, console.config.login_address_rate_limit))
    held = []  # each attempt holds a place in both windows; a successful one gives them back
    for bucket, key, limit in limits:
        decision = console.guard.reserve(bucket, key, limit, now)
        if not decision.allowed:
            for rowid in held:
                console.guard.release(rowid)
            minutes = max(1, -(-decision.retry_after // _MINUTE))
            console.audit.append("-", "login-throttled", source="console", address=request.client,
                                 bucket=bucket)
            message = texts.LOGIN_THROTTLED.format(minutes=f"{minutes}\u00a0min")
            return _login_page(console, request, session, 429, message, name)
        held.append(decision.rowid)
    account = console.accounts.verify(name, password, code, now,
                                      claim=lambda who, step: console.sessions.claim_totp(who, step, now))
    for rowid in held:  # only failed attempts count
        (console.guard.release if account is not None else console.guard.confirm)(rowid)
    if account is None:
        console.audit.append("-", "login-failed", source="console", address=request.client,
                             name=name if is_name(name) else "")
        return _login_page(console, request, session, 400, texts.LOGIN_FAILED, name)
    console.sessions.end(session.sid)  # a logged-out session's row, if it had one
    fresh = console.sessions.create(account.name, now)
    console.audit.append(account.name, "login", source="console", address=request.client)
    return web.redirect(web.url(console.config), [web.set_cookie(console.config, fresh.sid)])


def logout(console, request: Request, session: Session) -> Response:
    console.sessions.end(session.sid)
    console.audit.append(session.account, "logout", source="console", address=request.client)
    fresh = console.sessions.create(None, console.clock())
    console.flash(fresh, [texts.LOGGED_OUT])
    return web.redirect(web.url(console.config, "/connexion"), [web.set_cookie(console.config, fresh.sid)])


def _recheck(console, request: Request, name: str, password: str, code: str = ""):
    """The account when its password (and ``code``, when given for an enrolled factor)
    is right; a failure counts against the login limit of this name and address."""
    now = console.clock()
    decision = console.guard.reserve("login-account", f"{name}\n{request.client}",
                                     console.config.login_rate_limit, now)
    if not decision.allowed:
        minutes = max(1, -(-decision.retry_after // _MINUTE))
        raise HTTPError(429, texts.LOGIN_THROTTLED.format(minutes=f"{minutes}\u00a0min"))
    account = console.accounts.verify(name, password[:1024], code[:32], now,
                                      claim=lambda who, step: console.sessions.claim_totp(who, step, now))
    (console.guard.release if account is not None else console.guard.confirm)(decision.rowid)
    return account


def _qr(account, pending: str) -> Response:
    buffer = io.BytesIO()
    segno.make(account.totp_uri(pending), error="m").save(
        buffer, kind="svg", scale=5, border=4, title=texts.TOTP_QR_ALT, xmldecl=False)
    return Response(200, [("Content-Type", "image/svg+xml"), ("Cache-Control", "no-store"),
                          ("X-Content-Type-Options", "nosniff"),
                          ("Content-Security-Policy", "default-src 'none'")],
                    buffer.getvalue())


def totp(console, request: Request, session: Session, sub: str, form: dict[str, list[str]]) -> Response:
    """The second factor: start (the password again: a stolen session cannot enrol
    its own factor; a new secret kept in the session only), the QR code (once),
    confirm (a right code stores the secret in the account), turn off (password
    and a code)."""
    account = console.accounts.get(session.account)
    pending, shown, _ = (session.totp_pending or "").partition(_QR_SHOWN)
    if sub == "/double-authentification/qr.svg":
        if request.method not in ("GET", "HEAD") or not pending or shown or account.totp:
            raise HTTPError(404, texts.NOT_FOUND)
        console.sessions.set_totp_pending(session, pending + _QR_SHOWN)
        return _qr(account, pending)
    if sub != "/double-authentification":
        raise HTTPError(404, texts.NOT_FOUND)
    if request.method not in ("GET", "HEAD", "POST"):
        raise HTTPError(405, texts.METHOD_NOT_ALLOWED, [("Allow", "GET, HEAD, POST")])
    step, error, status = ("on" if account.totp else "start"), None, 200
    action = web.first(form, "etape") if request.method == "POST" else ""
    if account.totp and action == "desactiver":
        if _recheck(console, request, account.name, web.first(form, "mot_de_passe"), web.first(form, "code")):
            console.accounts.set_totp(account.name, None)
            console.audit.append(account.name, "totp-disable", source="console", address=request.client)
            console.flash(session, [texts.TOTP_DISABLED])
            return web.redirect(web.url(console.config, "/double-authentification"))
        error, status = texts.TOTP_OFF_WRONG, 400
    elif not account.totp and action == "confirmer" and pending:
        now = console.clock()
        code_step = totp_step(pending, web.first(form, "code"), now)
        if code_step is not None and console.sessions.claim_totp(account.name, code_step, now):
            console.accounts.set_totp(account.name, pending)
            console.sessions.set_totp_pending(session, None)
            console.audit.append(account.name, "totp-enable", source="console", address=request.client)
            console.flash(session, [texts.TOTP_ENABLED])
            return web.redirect(web.url(console.config, "/double-authentification"))
        step, error, status = "scan", texts.TOTP_WRONG, 400
    elif not account.totp and action == "commencer":
        if _recheck(console, request, account.name, web.first(form, "mot_de_passe")):
            pending = pyotp.random_base32()
            console.sessions.set_totp_pending(session, pending)
            step = "scan"
        else:
            error, status = texts.TOTP_PASSWORD_WRONG, 400
    html = views.render("totp.html", **console.common(session, request), step=step, error=error,
                        secret=pending if step == "scan" else None)
    return web.page(console.config, status, html)
