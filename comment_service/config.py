"""Configuration from environment variables, with safe development defaults.

Every variable is documented in docs/comment-service.md.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

DEV_SECRET = "dev-only-secret-do-not-use-in-production"
MIN_PRODUCTION_SECRET_LENGTH = 32


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
class Config:
    store: Path = Path("var/comments")
    threads_file: Path = Path("output/comment-threads.json")
    secret: str = DEV_SECRET
    env: str = "development"
    site_url: str = "http://127.0.0.1:8000"
    allowed_origins: tuple[str, ...] = ("http://127.0.0.1:8000",)
    moderation: str = "pre"
    max_length: int = 500
    name_max: int = 80
    max_body: int = 16 * 1024
    rate_limit: RateLimit = RateLimit(5, 600)
    captcha_rate_limit: RateLimit = RateLimit(60, 600)
    media_rate_limit: RateLimit = RateLimit(120, 600)
    min_fill_seconds: float = 3.0
    captcha_ttl: int = 600
    trusted_proxies: frozenset[str] = field(default_factory=frozenset)
    prefix: str = "/commentaires"
    contact_email: str = "contact@valdoise.fr"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


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


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """Build the configuration from the environment. Raise ConfigError."""
    env = os.environ if env is None else env
    get = lambda name, default: (env.get(name) or "").strip() or default  # noqa: E731

    mode = get("COMMENTS_ENV", "development").lower()
    if mode not in ("development", "production"):
        raise ConfigError(f"COMMENTS_ENV must be 'development' or 'production'; got {mode!r}")

    secret = env.get("COMMENTS_SECRET") or ""
    if mode == "production":
        if not secret:
            raise ConfigError(
                "COMMENTS_SECRET is not set: refusing to start in production without a secret "
                "(set COMMENTS_SECRET to a random string of at least "
                f"{MIN_PRODUCTION_SECRET_LENGTH} characters, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        if secret == DEV_SECRET or len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
            raise ConfigError(
                f"COMMENTS_SECRET is too weak for production: use a random string of at least "
                f"{MIN_PRODUCTION_SECRET_LENGTH} characters"
            )
    elif not secret:
        secret = DEV_SECRET

    site_url = get("COMMENTS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    site_origin = origin_of(site_url)
    origins_raw = get("COMMENTS_ALLOWED_ORIGINS", site_origin)
    origins = tuple(origin_of(o.strip()) for o in origins_raw.split(",") if o.strip())

    moderation = get("COMMENTS_MODERATION", "pre").lower()
    if moderation not in ("pre", "auto"):
        raise ConfigError(f"COMMENTS_MODERATION must be 'pre' or 'auto'; got {moderation!r}")

    try:
        min_fill = float(get("COMMENTS_MIN_FILL_SECONDS", "3"))
    except ValueError:
        raise ConfigError("COMMENTS_MIN_FILL_SECONDS must be a number of seconds") from None
    if not 0 <= min_fill < 3600:
        raise ConfigError("COMMENTS_MIN_FILL_SECONDS must be between 0 and 3600")

    proxies = set()
    for item in get("COMMENTS_TRUSTED_PROXY", "").split(","):
        item = item.strip()
        if item:
            try:
                proxies.add(str(ipaddress.ip_address(item)))
            except ValueError:
                raise ConfigError(f"COMMENTS_TRUSTED_PROXY must list IP addresses; got {item!r}") from None

    prefix = get("COMMENTS_PREFIX", "/commentaires").rstrip("/")
    if prefix and not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", prefix):
        raise ConfigError(f"COMMENTS_PREFIX must be a path like /commentaires; got {prefix!r}")

    contact = get("COMMENTS_CONTACT_EMAIL", "contact@valdoise.fr")
    if not re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+", contact):
        raise ConfigError(f"COMMENTS_CONTACT_EMAIL is not an e-mail address: {contact!r}")

    ttl = _int(env, "COMMENTS_CAPTCHA_TTL", 600, minimum=1)
    return Config(
        store=Path(get("COMMENTS_STORE", "var/comments")),
        threads_file=Path(get("COMMENTS_THREADS_FILE", "output/comment-threads.json")),
        secret=secret,
        env=mode,
        site_url=site_url,
        allowed_origins=origins,
        moderation=moderation,
        max_length=_int(env, "COMMENTS_MAX_LENGTH", 500, minimum=1),
        name_max=_int(env, "COMMENTS_NAME_MAX", 80, minimum=1),
        max_body=_int(env, "COMMENTS_MAX_BODY", 16 * 1024, minimum=256),
        rate_limit=RateLimit.parse("COMMENTS_RATE_LIMIT", get("COMMENTS_RATE_LIMIT", "5/600")),
        captcha_rate_limit=RateLimit.parse(
            "COMMENTS_CAPTCHA_RATE_LIMIT", get("COMMENTS_CAPTCHA_RATE_LIMIT", "60/600")
        ),
        media_rate_limit=RateLimit.parse(
            "COMMENTS_MEDIA_RATE_LIMIT", get("COMMENTS_MEDIA_RATE_LIMIT", "120/600")
        ),
        min_fill_seconds=min_fill,
        captcha_ttl=ttl,
        trusted_proxies=frozenset(proxies),
        prefix=prefix,
        contact_email=contact,
    )
