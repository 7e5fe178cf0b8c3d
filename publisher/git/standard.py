"""Standard Webhooks signatures (GitLab's signing token).

GitLab signs a webhook, when it is given a signing token, as the Standard
Webhooks specification says: the headers ``webhook-id``,
``webhook-timestamp`` (Unix seconds) and ``webhook-signature``, a
space-separated list of ``v1,<base64 HMAC-SHA256>``; the HMAC is over the
bytes ``{webhook-id}.{webhook-timestamp}.{body}``, its key the base64-decoded
part of a token of the form ``whsec_<base64>``.

``Signed.check`` accepts a request when one ``v1`` signature matches
(compared in constant time), its timestamp is within ``TOLERANCE`` seconds
of now (either way), and its ``webhook-id`` was not accepted before within
that window (a replay). The ids accepted are kept in the process for the
window (the webhook runs as one worker). "Now" is ``SCHEDULE_NOW`` when set
(``sitekit.clock``, for tests), else the clock.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import threading
import time

PREFIX = "whsec_"
TOLERANCE = 5 * 60  # seconds
MIN_KEY_BYTES = 16
ID_RE = re.compile(r"^[\x21-\x7e]{1,256}$")  # visible ASCII, no separator
TIMESTAMP_RE = re.compile(r"^\d{1,12}$")
OK, BAD, STALE, REPLAY = "ok", "signature", "horodatage", "rejeu"


def parse_token(token: str) -> bytes:
    """The HMAC key of a ``whsec_<base64>`` token; ValueError (French) otherwise."""
    if not token.startswith(PREFIX):
        raise ValueError(f"le jeton de signature doit commencer par « {PREFIX} »")
    try:
        key = base64.b64decode(token[len(PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"le jeton de signature n'est pas du base64 après « {PREFIX} »") \
            from None
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"le jeton de signature est trop court ({MIN_KEY_BYTES} octets au "
                         "moins une fois décodé)")
    return key


def sign(key: bytes, webhook_id: str, timestamp: str, body: bytes) -> str:
    """The ``v1,<base64>`` signature of a message (as GitLab sends it)."""
    message = f"{webhook_id}.{timestamp}.".encode("ascii") + body
    return "v1," + base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def schedule_now() -> float:
    """Unix seconds: ``SCHEDULE_NOW`` (in the site's TIMEZONE) when set, else the clock."""
    value = os.environ.get("SCHEDULE_NOW")
    if not value:
        return time.time()
    from sitekit.clock import parse_now

    try:
        from pelicanconf import TIMEZONE
    except ImportError:
        TIMEZONE = "UTC"
    return parse_now(value, TIMEZONE).timestamp()


def is_signed(environ: dict) -> bool:
    return "HTTP_WEBHOOK_SIGNATURE" in environ


class Signed:
    """Verifies Standard Webhooks requests with one signing token."""

    def __init__(self, token: str, clock=schedule_now, tolerance: int = TOLERANCE):
        self.key = parse_token(token)
        self.clock, self.tolerance = clock, tolerance
        self.seen: dict[str, float] = {}  # webhook-id -> when it may be forgotten
        self.lock = threading.Lock()

    def signature_ok(self, webhook_id: str, timestamp: str, given: str, body: bytes) -> bool:
        expected = sign(self.key, webhook_id, timestamp, body).encode()
        matched = False
        for candidate in given.split():
            # Every candidate compared (no early exit), each in constant time.
            matched |= hmac.compare_digest(candidate.encode("utf-8", "replace"), expected)
        return matched

    def check(self, environ: dict, body: bytes) -> str:
        """``OK``, or why the request is refused: ``BAD``, ``STALE``, ``REPLAY``."""
        webhook_id = environ.get("HTTP_WEBHOOK_ID", "")
        timestamp = environ.get("HTTP_WEBHOOK_TIMESTAMP", "").strip()
        given = environ.get("HTTP_WEBHOOK_SIGNATURE", "")
        if not (ID_RE.match(webhook_id) and TIMESTAMP_RE.match(timestamp)):
            return BAD
        if not self.signature_ok(webhook_id, timestamp, given, body):
            return BAD
        now = self.clock()
        if abs(now - int(timestamp)) > self.tolerance:
            return STALE
        with self.lock:
            self.seen = {k: until for k, until in self.seen.items() if until > now}
            if webhook_id in self.seen:
                return REPLAY
            # Forgotten once its timestamp is out of the window anyway.
            self.seen[webhook_id] = int(timestamp) + self.tolerance
        return OK
