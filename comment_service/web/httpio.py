"""HTTP input: the request seen through a WSGI environ, bodies read with size
limits, form and JSON decoding (no decisions, no responses).

Like wsgiref keeps ``util`` and ``headers`` apart from its handler, this module
knows about the environ and bytes, never about comments. Everything it cannot
read raises ``HTTPError`` (status, French message); nothing else escapes it.

Strings from a request are checked for lone surrogates before anything uses
them. Only JSON can carry one (``"\\ud800"``): UTF-8 bodies, form encoding and
latin-1 environ strings cannot. A key with a lone surrogate refuses the whole
request (a key cannot be shown back); a value with one is replaced by a copy
where each lone surrogate is U+FFFD, and its field is named in
``Body.invalid`` so the decision refuses it with the field's own message.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from .. import defaults
from ..rules import messages as msg
from ..config import Config

FORM_TYPE = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"
MAX_FIELDS = 20
#: Levels of arrays and objects a field may nest (a comment needs none).
MAX_JSON_DEPTH = 16
_CONTENT_LENGTH_RE = re.compile(r"[0-9]{1,12}")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class HTTPError(Exception):
    """A request the service cannot accept: status, French message, headers, field errors."""

    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None,
                 errors: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers, self.errors = status, message, headers or [], errors


@dataclass(frozen=True)
class Body:
    """Decoded fields of a posted body; ``invalid`` names fields that held a lone surrogate."""

    fields: dict[str, object]
    invalid: frozenset[str] = field(default_factory=frozenset)


def route_path(environ: dict, prefix: str) -> str:
    """The route: PATH_INFO, without the configured prefix when it starts with it.

    SCRIPT_NAME is ignored: a mounting server (the development launcher sets
    it to the prefix) has already taken it out of PATH_INFO, and gunicorn
    sets it from a client's ``SCRIPT_NAME`` header, so it says nothing
    trustworthy. The URLs the service hands out come from ``config.prefix``
    alone. A path outside the prefix is routed as it is (the service reached
    directly, or mounted).
    """
    path = environ.get("PATH_INFO", "") or "/"
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix):] or "/"
    return path


def has_surrogate(text: str) -> bool:
    return _SURROGATE_RE.search(text) is not None


def _clean(value: object) -> tuple[object, bool]:
    """A JSON value with lone surrogates replaced by U+FFFD, and whether there were any.

    Iterative (a body may nest arrays thousands deep within the size limit:
    recursion would overflow the stack). Containers fresh from ``json.loads``
    are cleaned in place; one nested deeper than MAX_JSON_DEPTH is refused.
    """
    if isinstance(value, str):
        if has_surrogate(value):
            return _SURROGATE_RE.sub("\ufffd", value), True
        return value, False
    bad = False
    stack = [(value, 1)] if isinstance(value, (list, dict)) else []
    while stack:
        container, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise HTTPError(400, msg.JSON_TOO_DEEP)
        for key in (range(len(container)) if isinstance(container, list) else list(container)):
            item = container[key]  # keys were checked while parsing
            if isinstance(item, str):
                if has_surrogate(item):
                    container[key], bad = _SURROGATE_RE.sub("\ufffd", item), True
            elif isinstance(item, (list, dict)):
                stack.append((item, depth + 1))
    return value, bad


def _duplicate(key: str) -> HTTPError:
    text = msg.DUPLICATE_FIELD.format(field=key[:40])
    return HTTPError(400, text, errors={key[:40]: text})


def parse_form(body: bytes) -> Body:
    """An urlencoded UTF-8 body as fields; duplicates and more than MAX_FIELDS fields are refused."""
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        raise HTTPError(400, msg.BAD_ENCODING) from None
    except ValueError:
        raise HTTPError(400, msg.BAD_REQUEST) from None
    fields: dict[str, object] = {}
    for key, value in pairs:
        if key in fields:
            raise _duplicate(key)
        fields[key] = value
    return Body(fields)  # strict UTF-8 decoding cannot yield a lone surrogate


def _object_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj: dict[str, object] = {}
    for key, value in pairs:
        if has_surrogate(key):
            raise HTTPError(400, msg.BAD_KEY)
        if key in obj:
            raise _duplicate(key)
        obj[key] = value
    return obj


def _refuse_constant(name: str):
    raise ValueError(name)


def parse_json(body: bytes) -> Body:
    """A UTF-8 JSON object as fields (no NaN/Infinity, no duplicate or invalid key)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPError(400, msg.BAD_ENCODING) from None
    try:
        obj = json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_refuse_constant)
    except HTTPError:
        raise
    except (ValueError, RecursionError):
        raise HTTPError(400, msg.BAD_JSON) from None
    if not isinstance(obj, dict):
        raise HTTPError(400, msg.JSON_NOT_OBJECT)
    fields: dict[str, object] = {}
    invalid = set()
    for key, value in obj.items():
        fields[key], bad = _clean(value)
        if bad:
            invalid.add(key)
    return Body(fields, frozenset(invalid))


@dataclass
class Request:
    """Read-only view of one WSGI request."""

    environ: dict
    config: Config

    @property
    def method(self) -> str:
        return self.environ.get("REQUEST_METHOD", "GET").upper()

    def header(self, name: str) -> str:
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), "")

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
        if params.get("charset", "utf-8") not in ("utf-8", "utf8"):
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
        """Rate-limit key: the client address (IPv6 grouped by /64); X-Forwarded-For
        only from a peer named in COMMENTS_TRUSTED_PROXIES."""
        addr = self.environ.get("REMOTE_ADDR", "") or ""
        peer = addr or defaults.UNIX_PEER  # gunicorn gives no address on a Unix socket
        addr = addr or "unknown"
        trusted = self.config.trusted_proxies
        if peer in trusted:
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

    def read_fields(self) -> Body:
        """The posted fields (form or JSON), or HTTPError (415, 411, 413, 400)."""
        kind = self.kind
        if kind is None:
            raise HTTPError(415, msg.UNSUPPORTED_TYPE)
        body = self.read_body()
        return parse_form(body) if kind == "form" else parse_json(body)
