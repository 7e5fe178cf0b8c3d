"""HTTP details of the console: its URLs, the session cookie, form bodies with
repeated fields (a selection of comments), and its responses' headers.

The cookie: ``__Host-moderation`` with ``Path=/; Secure; HttpOnly;
SameSite=Strict`` outside development. ``__Host-`` cookies must be
``Secure``, which a browser refuses over plain http, so in development
(http://127.0.0.1) the cookie is named ``moderation``, without ``Secure``,
scoped to the console's path. No ``Max-Age``: the server ends sessions
(sessions.py), and the browser forgets the cookie when it closes.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from .. import defaults
from ..config import Config
from ..web.httpio import FORM_TYPE, HTTPError, Request
from ..web.present import site_origin
from ..web.render import Response, html_response
from . import texts

MAX_FIELDS = 400  # a page of selected comments, each with its reason


def url(config: Config, sub: str = "/", **params) -> str:
    """A console URL (under the configured prefix only), with a query string."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "", 1)})
    return config.prefix + defaults.CONSOLE_PATH + sub + (f"?{query}" if query else "")


def cookie_name(config: Config) -> str:
    return "moderation" if config.env == "development" else "__Host-moderation"


def set_cookie(config: Config, sid: str) -> tuple[str, str]:
    if config.env == "development":
        attrs = f"Path={config.prefix}{defaults.CONSOLE_PATH}/; HttpOnly; SameSite=Strict"
    else:
        attrs = "Path=/; Secure; HttpOnly; SameSite=Strict"
    return "Set-Cookie", f"{cookie_name(config)}={sid}; {attrs}"


def clear_cookie(config: Config) -> tuple[str, str]:
    name, value = set_cookie(config, "")
    return name, value + "; Max-Age=0"


def cookie(request: Request) -> str:
    """The session id the browser sent (the first cookie of that name), or ''."""
    wanted = cookie_name(request.config)
    for part in request.environ.get("HTTP_COOKIE", "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == wanted:
            return value.strip()
    return ""


def _pairs(text: str) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise HTTPError(400, texts.CSRF_FAILED) from None
    fields: dict[str, list[str]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    return fields


def read_form(request: Request) -> dict[str, list[str]]:
    """A posted HTML form (fields may repeat); 415, 411, 413 or 400 otherwise."""
    main, params = request.content_type
    if main != FORM_TYPE or params.get("charset", "utf-8") not in ("utf-8", "utf8"):
        raise HTTPError(415, texts.CSRF_FAILED)
    body = request.read_body()
    try:
        return _pairs(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise HTTPError(400, texts.CSRF_FAILED) from None


def query(request: Request) -> dict[str, list[str]]:
    raw = request.environ.get("QUERY_STRING", "")
    try:
        return _pairs(raw.encode("latin-1").decode("utf-8"))
    except (UnicodeError, HTTPError):
        return {}


def first(fields: dict[str, list[str]], name: str, default: str = "") -> str:
    values = fields.get(name)
    return values[0] if values else default


def page(config: Config, status: int, html: str, headers: list[tuple[str, str]] | None = None) -> Response:
    """A console page: the service's CSP (no script, no inline style, framed by
    nobody), no-store, no referrer outside the site."""
    return html_response(status, html, site_origin(config), [("X-Frame-Options", "DENY")] + (headers or []))


def redirect(location: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(303, [("Location", location), ("Cache-Control", "no-store"),
                          ("Content-Type", "text/plain; charset=utf-8")] + (headers or []), b"")
