"""What every guard backend shares: its outcomes, its errors, and the keyed
hashes that stand for client addresses.

Two backends implement one interface (``GuardBackend`` below):

- ``guard.Guard``: SQLite beside the store (the default, nothing to install;
  one server only: SQLite over a network filesystem is not safe);
- ``guard_redis.RedisGuard``: Redis or Valkey (``COMMENTS_GUARD_URL=redis://…``),
  shared by several servers.

``open_guard(config)`` (in guard.py) picks one. Both hash client addresses
the same way (``ClientKeys``): ``HMAC-SHA256(day key, address)`` truncated to
128 bits, the day key derived from COMMENTS_SECRET and the UTC day number, so
that every worker on every host computes the same key without sharing
anything, and a window that crosses midnight is checked under each day's key.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Protocol

from .. import defaults
from ..config import RateLimit

# A reservation counts this long unless confirmed: far longer than storing a
# comment takes, longer than gunicorn's worker timeout (30 s by default).
RESERVATION_LEASE = 120.0
SUBMISSION_TTL = 24 * 3600.0
DAY = 86400


class GuardError(Exception):
    """The guard could not be read or written (disk full, Redis down, ...)."""


@dataclass(frozen=True)
class Decision:
    """A counting decision. ``rowid`` identifies the recorded hit for
    ``confirm``/``release`` (an opaque value: an int for SQLite, a string for Redis)."""

    allowed: bool
    retry_after: int = 0
    rowid: int | str | None = None


@dataclass(frozen=True)
class Answered:
    """The answer given to a stored submission."""

    comment_id: str
    status: str


@dataclass(frozen=True)
class Entry:
    """What one posted comment asks of the guard, done in one transaction (one
    round trip with Redis) by ``admit``, in this order: recall the submission id
    (when given; found, nothing else is done), spend the captcha nonce (when
    given; already spent, nothing else is done), reserve a hit in ``bucket`` for
    ``client`` (when ``limit`` is given)."""

    now: float
    thread: str = ""
    submission: str = ""  # a submission id to recall ("" = none)
    nonce: str = ""  # a captcha nonce to spend ("" = none)
    nonce_expires: float = 0.0
    issued: float | None = None  # the token's issue time (the Redis backend checks it)
    client: str = ""
    limit: RateLimit | None = None  # reserve a hit under this limit (None = none)
    bucket: str = "comment"
    lease: float = RESERVATION_LEASE


@dataclass(frozen=True)
class Admission:
    """What ``admit`` found: ``answered`` when the submission was answered before;
    ``spent`` False when the nonce had been used (None: not asked or not reached);
    ``reservation`` the decision on the hit (None: not asked or not reached)."""

    answered: Answered | None = None
    spent: bool | None = None
    reservation: Decision | None = None


class GuardBackend(Protocol):
    """The interface the service, the console and the commands use."""

    def label(self, client: str, now: float | None = None) -> str: ...
    def spend(self, nonce: str, expires: float, now: float, issued: float | None = None) -> bool: ...
    def hit(self, bucket: str, client: str, limit: RateLimit, now: float) -> Decision: ...
    def reserve(self, bucket: str, client: str, limit: RateLimit, now: float,
                lease: float = RESERVATION_LEASE) -> Decision: ...
    def confirm(self, rowid) -> None: ...
    def release(self, rowid) -> None: ...
    def remember(self, thread: str, submission: str, answer: Answered, now: float,
                 ttl: float = SUBMISSION_TTL) -> None: ...
    def recall(self, thread: str, submission: str, now: float) -> Answered | None: ...
    def prune(self, now: float | None = None) -> int: ...
    def admit(self, entry: Entry) -> Admission: ...
    def settle(self, rowid, thread: str, submission: str, answer: Answered, now: float,
               ttl: float = SUBMISSION_TTL) -> None: ...


class ClientKeys:
    """Keyed hashes of client addresses (see the module docstring), and the
    sliding-window entry points both backends share."""

    def __init__(self, secret: str = defaults.DEV_SECRET, log_addresses: bool = False):
        self._secret = secret.encode("utf-8", "surrogatepass")
        self._log_addresses = log_addresses
        self._day_keys: dict[int, bytes] = {}

    def _day_key(self, day: int) -> bytes:
        key = self._day_keys.get(day)
        if key is None:
            if len(self._day_keys) > 8:
                self._day_keys.clear()
            key = hmac.new(self._secret, f"guard-client-key/{day}".encode(), hashlib.sha256).digest()
            self._day_keys[day] = key
        return key

    def client_key(self, client: str, at: float) -> str:
        """The hash stored for ``client`` at time ``at`` (the key of that UTC day)."""
        digest = hmac.digest(self._day_key(int(at // DAY)), client.encode("utf-8", "surrogatepass"), "sha256")
        return digest[:16].hex()

    def _window_keys(self, client: str, now: float, window: float) -> list[str]:
        """The hashes of ``client`` under the key of every day the window touches."""
        first, last = int((now - window) // DAY), int(now // DAY)
        return [self.client_key(client, day * DAY) for day in range(max(first, last - 31), last + 1)]

    def label(self, client: str, now: float | None = None) -> str:
        """How logs name a client: a short hash of the day, or the address when allowed."""
        if self._log_addresses:
            return client
        return "client-" + self.client_key(client, time.time() if now is None else now)[:8]

    # -- sliding windows: both backends count through their own _count() ------------
    def hit(self, bucket: str, client: str, limit: RateLimit, now: float) -> Decision:
        """Count one event for (bucket, client) unless the limit is reached."""
        return self._count(bucket, client, limit, now, None)

    def reserve(self, bucket: str, client: str, limit: RateLimit, now: float,
                lease: float = RESERVATION_LEASE) -> Decision:
        """Like hit(), but the hit counts only until ``now + lease`` unless confirmed."""
        return self._count(bucket, client, limit, now, now + lease)

    def _count(self, bucket: str, client: str, limit: RateLimit, now: float, lease: float | None) -> Decision:
        raise NotImplementedError
