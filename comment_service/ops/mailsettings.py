"""Settings of the moderators' notification mail, from the environment
(read only by ``python -m comment_service notify``; defaults in defaults.py).

| variable | default | |
| --- | --- | --- |
| COMMENTS_NOTIFY_TO | (required) | comma-separated addresses of the moderators |
| COMMENTS_NOTIFY_FROM | COMMENTS_CONTACT_EMAIL | sender address |
| COMMENTS_NOTIFY_PERIOD | 3600 | at most one mail per this many seconds |
| COMMENTS_NOTIFY_POLL | 60 | seconds between two looks at the store |
| COMMENTS_NOTIFY_CONSOLE_URL | COMMENTS_SITE_URL + COMMENTS_PREFIX + /moderation/ | the link in the mail |
| COMMENTS_SMTP_HOST | localhost | |
| COMMENTS_SMTP_PORT | 587 | |
| COMMENTS_SMTP_SECURITY | starttls | starttls, tls (implicit TLS, e.g. port 465) or none (a local relay) |
| COMMENTS_SMTP_USER | empty | login, when the server wants one |
| COMMENTS_SMTP_PASSWORD_FILE | empty | a file holding the password (preferred) … |
| COMMENTS_SMTP_PASSWORD | empty | … or the password itself |
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from .. import defaults
from ..config import ConfigError, _int, load_shared

ADDRESS_RE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
URL_RE = re.compile(r"https?://[^\s\"<>]+")


@dataclass(frozen=True)
class MailSettings:
    recipients: tuple[str, ...]
    sender: str
    console_url: str
    host: str = "localhost"
    port: int = defaults.SMTP_PORT
    security: str = defaults.SMTP_SECURITY
    user: str = ""
    password: str = ""
    period: int = defaults.NOTIFY_PERIOD
    poll: int = defaults.NOTIFY_POLL
    timeout: float = 30.0


def _address(name: str, value: str) -> str:
    if not ADDRESS_RE.fullmatch(value):
        raise ConfigError(f"{name}: not a plain e-mail address: {value!r}")
    return value


def load_mail_settings(env: Mapping[str, str] | None = None) -> MailSettings:
    env = os.environ if env is None else env

    def get(name: str, default: str = "") -> str:
        return (env.get(name) or "").strip() or default

    shared = load_shared(env)
    recipients = tuple(_address("COMMENTS_NOTIFY_TO", a.strip()) for a in get("COMMENTS_NOTIFY_TO").split(",")
                       if a.strip())
    if not recipients:
        raise ConfigError("COMMENTS_NOTIFY_TO is not set: give the moderators' addresses, comma-separated")
    site = get("COMMENTS_SITE_URL", defaults.SITE_URL).rstrip("/")
    console_url = get("COMMENTS_NOTIFY_CONSOLE_URL", f"{site}{shared.prefix}{defaults.CONSOLE_PATH}/")
    if not URL_RE.fullmatch(console_url):
        raise ConfigError(f"COMMENTS_NOTIFY_CONSOLE_URL is not an http(s) address: {console_url!r}")
    security = get("COMMENTS_SMTP_SECURITY", defaults.SMTP_SECURITY).lower()
    if security not in defaults.SMTP_SECURITY_MODES:
        raise ConfigError(f"COMMENTS_SMTP_SECURITY must be one of {', '.join(defaults.SMTP_SECURITY_MODES)}")
    password = get("COMMENTS_SMTP_PASSWORD")
    if get("COMMENTS_SMTP_PASSWORD_FILE"):
        try:
            password = Path(get("COMMENTS_SMTP_PASSWORD_FILE")).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"COMMENTS_SMTP_PASSWORD_FILE cannot be read: {exc}") from None
    return MailSettings(
        recipients=recipients,
        sender=_address("COMMENTS_NOTIFY_FROM", get("COMMENTS_NOTIFY_FROM", shared.contact_email)),
        console_url=console_url, host=get("COMMENTS_SMTP_HOST", "localhost"),
        port=_int(env, "COMMENTS_SMTP_PORT", defaults.SMTP_PORT, minimum=1), security=security,
        user=get("COMMENTS_SMTP_USER"), password=password,
        period=_int(env, "COMMENTS_NOTIFY_PERIOD", defaults.NOTIFY_PERIOD, minimum=0),
        poll=_int(env, "COMMENTS_NOTIFY_POLL", defaults.NOTIFY_POLL, minimum=1),
    )
