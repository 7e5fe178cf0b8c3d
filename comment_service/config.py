"""Configuration from environment variables, with safe development defaults.

Two loaders, one reading of each variable:

* ``load_shared(env)``: the settings the site build shares with the service
  (store, prefix and form address, lengths, moderation mode, contact
  address). No secret is needed: ``pelicanconf.py``, the moderation command
  line and the development launcher use it.
* ``load_config(env)``: the service's whole configuration, the shared part
  plus the secret (refused in production when missing or weak), origins,
  limits and proxies.

Every default is in ``defaults.py``; every variable is documented in
docs/comment-service.md.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from . import defaults

DEV_SECRET = defaults.DEV_SECRET
MIN_PRODUCTION_SECRET_LENGTH = defaults.MIN_PRODUCTION_SECRET_LENGTH
PATH_RE = re.compile(r"(/[A-Za-z0-9._~-]+)+")
EMAIL_RE = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+")


class ConfigError(Exception):
    """The configuration is invalid; the service must not start."""


@dataclass(frozen=True)
class RateLimit:
    count: int
    window: int  # seconds

    @classmethod
    def parse(cls, name: str, value: str) -> "RateLimit":
        match = re.fullmatch(r"\s*(\d{1,9})\s*/\s*(\d{1,9})\s*", value)
        if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
            raise ConfigError(f"{name} must look like COUNT/SECONDS with both above zero, e.g. 5/600; got {value!r}")
        return cls(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Shared:
    """What the site build and the service must agree on (no secret here)."""

    store: Path = Path(defaults.STORE)
    threads_file: Path = Path(defaults.THREADS_FILE)
    prefix: str = defaults.PREFIX
    # Where the site's form posts: COMMENTS_SERVICE_URL, else the prefix (same origin).
    service_url: str = defaults.PREFIX
    moderation: str = defaults.MODERATION
    max_length: int = defaults.MAX_LENGTH
    name_max: int = defaults.NAME_MAX
    contact_email: str = defaults.CONTACT_EMAIL
    email_retention_days: int = defaults.EMAIL_RETENTION_DAYS
    rejected_retention_days: int = defaults.REJECTED_RETENTION_DAYS
    audit_retention_days: int = defaults.AUDIT_RETENTION_DAYS
    notify_window_days: int = defaults.NOTIFY_WINDOW_DAYS


@dataclass(frozen=True)
class Config:
    store: Path = Path(defaults.STORE)
    threads_file: Path = Path(defaults.THREADS_FILE)
    # The publisher's SITE_ROOT (same variable): the console reads its journal
    # of publications and its list of what waits (« Publications »).
    site_root: Path = Path(defaults.SITE_ROOT)
    secret: str = DEV_SECRET
    env: str = defaults.ENV
    site_url: str = defaults.SITE_URL
    allowed_origins: tuple[str, ...] = (defaults.SITE_URL,)
    moderation: str = defaults.MODERATION
    max_length: int = defaults.MAX_LENGTH
    name_max: int = defaults.NAME_MAX
    max_body: int = defaults.MAX_BODY
    rate_limit: RateLimit = RateLimit.parse("RATE_LIMIT", defaults.RATE_LIMIT)
    captcha_rate_limit: RateLimit = RateLimit.parse("CAPTCHA_RATE_LIMIT", defaults.CAPTCHA_RATE_LIMIT)
    media_rate_limit: RateLimit = RateLimit.parse("MEDIA_RATE_LIMIT", defaults.MEDIA_RATE_LIMIT)
    min_fill_seconds: float = defaults.MIN_FILL_SECONDS
    captcha_ttl: int = defaults.CAPTCHA_TTL
    trusted_proxies: frozenset[str] = field(default_factory=frozenset)
    prefix: str = defaults.PREFIX
    contact_email: str = defaults.CONTACT_EMAIL
    log_client_addresses: bool = defaults.LOG_CLIENT_ADDRESSES
    # Moderation console (docs/moderation.md).
    console: bool = defaults.MODERATION_CONSOLE
    session_idle: int = defaults.SESSION_IDLE
    session_max: int = defaults.SESSION_MAX
    login_rate_limit: RateLimit = RateLimit.parse("LOGIN_RATE_LIMIT", defaults.LOGIN_RATE_LIMIT)
    login_address_rate_limit: RateLimit = RateLimit.parse("LOGIN_ADDRESS_RATE_LIMIT", defaults.LOGIN_ADDRESS_RATE_LIMIT)
    publication: str = "rebuild"  # "rebuild" or "release": when a change reaches the page
    # The guard: "" = SQLite in the store folder; redis://… = Redis/Valkey (several servers).
    guard_url: str = ""
    # Readers' reports (comment_service/reports/): rate limit, hide after N open reports (0 = never).
    report_rate_limit: RateLimit = RateLimit.parse("REPORT_RATE_LIMIT", defaults.REPORT_RATE_LIMIT)
    reports_hide_after: int = defaults.REPORTS_HIDE_AFTER


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


def _getter(env: Mapping[str, str]):
    """get(name, default): the variable without surrounding spaces, or the default when empty."""
    return lambda name, default: (env.get(name) or "").strip() or default


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer; got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}; got {value}")
    return value


def _path(value: str) -> Path:
    """A configured path, made absolute once, here, against the working directory:
    every reader (the watcher compares it with the absolute paths the file system
    reports) sees the same folder wherever it runs from afterwards."""
    return Path(os.path.abspath(value))


def load_shared(env: Mapping[str, str] | None = None) -> Shared:
    """The settings shared by the site and the service. Raise ConfigError."""
    env = os.environ if env is None else env
    get = _getter(env)
    moderation = get("COMMENTS_MODERATION", defaults.MODERATION).lower()
    if moderation not in defaults.MODERATION_MODES:
        raise ConfigError(f"COMMENTS_MODERATION must be 'pre' or 'auto'; got {moderation!r}")
    prefix = get("COMMENTS_PREFIX", defaults.PREFIX).rstrip("/")
    if prefix and not PATH_RE.fullmatch(prefix):
        raise ConfigError(f"COMMENTS_PREFIX must be a path like /commentaires; got {prefix!r}")
    service_url = get("COMMENTS_SERVICE_URL", prefix).rstrip("/")
    parts = urlsplit(service_url)
    if service_url and not (PATH_RE.fullmatch(service_url)
                            or (parts.scheme in ("http", "https") and parts.netloc)):
        raise ConfigError("COMMENTS_SERVICE_URL must be a path like /commentaires or an "
                          f"http(s) address; got {service_url!r}")
    contact = get("COMMENTS_CONTACT_EMAIL", defaults.CONTACT_EMAIL)
    if not EMAIL_RE.fullmatch(contact):
        raise ConfigError(f"COMMENTS_CONTACT_EMAIL is not an e-mail address: {contact!r}")
    return Shared(
        store=_path(get("COMMENTS_STORE", defaults.STORE)),
        threads_file=_path(get("COMMENTS_THREADS_FILE", defaults.THREADS_FILE)),
        prefix=prefix,
        service_url=service_url,
        moderation=moderation,
        max_length=_int(env, "COMMENTS_MAX_LENGTH", defaults.MAX_LENGTH, minimum=1),
        name_max=_int(env, "COMMENTS_NAME_MAX", defaults.NAME_MAX, minimum=1),
        contact_email=contact,
        email_retention_days=_int(env, "COMMENTS_EMAIL_RETENTION_DAYS", defaults.EMAIL_RETENTION_DAYS),
        notify_window_days=_int(env, "COMMENTS_NOTIFY_WINDOW_DAYS", defaults.NOTIFY_WINDOW_DAYS),
        rejected_retention_days=_int(env, "COMMENTS_REJECTED_RETENTION_DAYS", defaults.REJECTED_RETENTION_DAYS),
        audit_retention_days=_int(env, "COMMENTS_AUDIT_RETENTION_DAYS", defaults.AUDIT_RETENTION_DAYS, minimum=1),
    )


def _secret_file(env: Mapping[str, str]) -> str:
    """COMMENTS_SECRET_FILE's content (e.g. a systemd credential:
    ``$CREDENTIALS_DIRECTORY/comments-secret``), without its final line break."""
    path = (env.get("COMMENTS_SECRET_FILE") or "").strip()
    if not path:
        return ""
    if env.get("COMMENTS_SECRET"):
        raise ConfigError("set COMMENTS_SECRET or COMMENTS_SECRET_FILE, not both")
    try:
        return _path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"COMMENTS_SECRET_FILE cannot be read: {path}: {exc}") from None


def _guard_url(value: str) -> str:
    if value and urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"COMMENTS_GUARD_URL must be a redis://, rediss:// or unix:// address; got {value!r}")
    return value


def secret_weakness(secret: str) -> str | None:
    """Why a production secret is too weak (docs/deployment.md states the rule), or None."""
    if secret == DEV_SECRET:
        return "it is the development secret"
    if len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
        return f"it has fewer than {MIN_PRODUCTION_SECRET_LENGTH} characters"
    counts = Counter(secret)
    if len(counts) < defaults.MIN_SECRET_DISTINCT:
        return f"it has fewer than {defaults.MIN_SECRET_DISTINCT} distinct characters"
    bits = -sum(n * math.log2(n / len(secret)) for n in counts.values())  # Shannon estimate
    if bits < defaults.MIN_SECRET_BITS:
        return f"its estimated entropy is {bits:.0f} bits, under {defaults.MIN_SECRET_BITS}"
    return None


def _secret(env: Mapping[str, str], mode: str) -> str:
    secret = _secret_file(env) or env.get("COMMENTS_SECRET") or ""
    if mode != "production":
        return secret or DEV_SECRET
    if not secret:
        raise ConfigError(
            "COMMENTS_SECRET is not set: refusing to start in production without a secret "
            f"(set COMMENTS_SECRET to a random string, e.g. {defaults.SECRET_COMMAND})")
    weakness = secret_weakness(secret)
    if weakness:
        raise ConfigError(f"COMMENTS_SECRET is too weak for production ({weakness}): "
                          f"generate one with {defaults.SECRET_COMMAND}")
    return secret


def _proxies(env: Mapping[str, str]) -> frozenset[str]:
    """COMMENTS_TRUSTED_PROXIES: IP addresses, or ``unix`` (requests on gunicorn's Unix socket)."""
    if (env.get("COMMENTS_TRUSTED_PROXY") or "").strip():
        raise ConfigError("COMMENTS_TRUSTED_PROXY was renamed COMMENTS_TRUSTED_PROXIES (same list of "
                          "addresses, or 'unix' when nginx reaches gunicorn on a Unix socket): rename it")
    proxies = set()
    for item in (env.get("COMMENTS_TRUSTED_PROXIES") or "").split(","):
        item = item.strip()
        if item == defaults.UNIX_PEER:
            proxies.add(item)
        elif item:
            try:
                proxies.add(str(ipaddress.ip_address(item)))
            except ValueError:
                raise ConfigError("COMMENTS_TRUSTED_PROXIES must list IP addresses or 'unix'; "
                                  f"got {item!r}") from None
    return frozenset(proxies)


def _on_off(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("on", "1", "true", "yes"):
        return True
    if raw in ("off", "0", "false", "no"):
        return False
    raise ConfigError(f"{name} must be 'on' or 'off'; got {raw!r}")


def _publication(value: str) -> str:
    if value.lower() not in defaults.PUBLICATION_MODES:
        raise ConfigError(f"COMMENTS_PUBLICATION must be 'rebuild' or 'release'; got {value!r}")
    return value.lower()


def _min_fill(value: str) -> float:
    try:
        min_fill = float(value)
    except ValueError:
        raise ConfigError("COMMENTS_MIN_FILL_SECONDS must be a number of seconds") from None
    if not 0 <= min_fill < 3600:
        raise ConfigError("COMMENTS_MIN_FILL_SECONDS must be between 0 and 3600")
    return min_fill


def load_config(env: Mapping[str, str] | None = None, default_env: str = defaults.ENV) -> Config:
    """Build the service's configuration from the environment. Raise ConfigError.

    ``default_env`` is the mode when COMMENTS_ENV is unset: development for
    the development commands, production for the WSGI entry point (wsgi.py)."""
    env = os.environ if env is None else env
    get = _getter(env)

    mode = get("COMMENTS_ENV", default_env).lower()
    if mode not in defaults.ENVIRONMENTS:
        raise ConfigError(f"COMMENTS_ENV must be 'development' or 'production'; got {mode!r}")
    secret = _secret(env, mode)
    shared = load_shared(env)

    site_url = get("COMMENTS_SITE_URL", defaults.SITE_URL).rstrip("/")
    origins_raw = get("COMMENTS_ALLOWED_ORIGINS", origin_of(site_url))
    origins = tuple(origin_of(o.strip()) for o in origins_raw.split(",") if o.strip())

    def limit(name: str, default: str) -> RateLimit:
        return RateLimit.parse(name, get(name, default))

    return Config(
        store=shared.store,
        threads_file=shared.threads_file,
        site_root=_path(get("SITE_ROOT", defaults.SITE_ROOT)),
        secret=secret,
        env=mode,
        site_url=site_url,
        allowed_origins=origins,
        moderation=shared.moderation,
        max_length=shared.max_length,
        name_max=shared.name_max,
        max_body=_int(env, "COMMENTS_MAX_BODY", defaults.MAX_BODY, minimum=256),
        rate_limit=limit("COMMENTS_RATE_LIMIT", defaults.RATE_LIMIT),
        captcha_rate_limit=limit("COMMENTS_CAPTCHA_RATE_LIMIT", defaults.CAPTCHA_RATE_LIMIT),
        media_rate_limit=limit("COMMENTS_MEDIA_RATE_LIMIT", defaults.MEDIA_RATE_LIMIT),
        min_fill_seconds=_min_fill(get("COMMENTS_MIN_FILL_SECONDS", str(defaults.MIN_FILL_SECONDS))),
        captcha_ttl=_int(env, "COMMENTS_CAPTCHA_TTL", defaults.CAPTCHA_TTL, minimum=1),
        trusted_proxies=_proxies(env),
        prefix=shared.prefix,
        contact_email=shared.contact_email,
        log_client_addresses=_on_off(env, "COMMENTS_LOG_CLIENT_ADDRESSES", defaults.LOG_CLIENT_ADDRESSES),
        console=_on_off(env, "COMMENTS_MODERATION_CONSOLE", defaults.MODERATION_CONSOLE),
        session_idle=_int(env, "COMMENTS_SESSION_IDLE", defaults.SESSION_IDLE, minimum=60),
        session_max=_int(env, "COMMENTS_SESSION_MAX", defaults.SESSION_MAX, minimum=300),
        login_rate_limit=limit("COMMENTS_LOGIN_RATE_LIMIT", defaults.LOGIN_RATE_LIMIT),
        login_address_rate_limit=limit("COMMENTS_LOGIN_ADDRESS_RATE_LIMIT", defaults.LOGIN_ADDRESS_RATE_LIMIT),
        publication=_publication(get("COMMENTS_PUBLICATION", "rebuild" if mode == "development" else "release")),
        guard_url=_guard_url(get("COMMENTS_GUARD_URL", "")),
        report_rate_limit=limit("COMMENTS_REPORT_RATE_LIMIT", defaults.REPORT_RATE_LIMIT),
        reports_hide_after=_int(env, "COMMENTS_REPORTS_HIDE_AFTER", defaults.REPORTS_HIDE_AFTER),
    )
