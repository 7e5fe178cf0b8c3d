"""The guard on Redis or Valkey (``COMMENTS_GUARD_URL=redis://host:6379/0``),
for several servers: every operation is one atomic command or one Lua script,
so two servers can never both accept one captcha nor overshoot a limit.

- ``spend``: one script that refuses a token issued before the Redis server
  started, then ``SET spent:<nonce> 1 NX EXAT <expiry>``. Why the start time:
  a restarted Redis has lost the spent captchas written since its last save
  (or all of them, without persistence), and would take them again. Every
  token issued before the restart is refused instead ("code already used":
  the visitor gets a new code), whatever the persistence settings. The start
  time is Redis's own clock minus its uptime; the service's hosts must keep
  their clocks in step with the Redis host (NTP): the comparison is against
  the token's issue time, with one second of margin.
- ``hit``/``reserve``: one script per call over a sorted set per bucket and
  client key (member = a random id, score = the time), plus a sorted set of
  leases (member -> end of the lease): lapsed leases and hits older than the
  window are removed, the hits of every day key the window touches are
  counted, and a new member is added only when fewer than ``limit.count``
  remain; refused, it answers the seconds until the ``count``-th most recent
  hit leaves the window. ``confirm`` removes the lease (the hit stays, as in
  SQLite), ``release`` removes both. Keys expire with their window.
- ``remember``: ``SET sub:<thread>:<id> <answer> NX EX <ttl>``; ``recall``: ``GET``.
- Any Redis failure raises ``GuardError``: the service answers 503 and never
  accepts a post without the guard; the client reconnects by itself.

Client addresses are hashed as in SQLite (``guard_base.ClientKeys``).
"""

from __future__ import annotations

import secrets

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from . import defaults
from .config import RateLimit
from .guard_base import SUBMISSION_TTL, Answered, ClientKeys, Decision, GuardError

PREFIX = "comments:guard:"

_SPEND = """
local info = redis.call('INFO', 'server')
local uptime = tonumber(string.match(info, 'uptime_in_seconds:(%d+)'))
local started = tonumber(redis.call('TIME')[1]) - uptime
if tonumber(ARGV[1]) < started + 1 then return -1 end
if redis.call('SET', KEYS[1], '1', 'NX', 'EXAT', ARGV[2]) then return 1 end
return 0
"""

# KEYS: hits and leases key of each day the window touches (pairs), the last
# pair being today's. ARGV: now, window, count, member, lease end ('' = none).
_COUNT = """
local now, window, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local scores = {}
for i = 1, #KEYS, 2 do
  local lapsed = redis.call('ZRANGEBYSCORE', KEYS[i + 1], '-inf', now)
  for _, member in ipairs(lapsed) do redis.call('ZREM', KEYS[i], member) end
  redis.call('ZREMRANGEBYSCORE', KEYS[i + 1], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local found = redis.call('ZRANGEBYSCORE', KEYS[i], '(' .. (now - window), '+inf', 'WITHSCORES')
  for j = 2, #found, 2 do scores[#scores + 1] = tonumber(found[j]) end
end
if #scores >= count then
  table.sort(scores, function(a, b) return a > b end)
  return {0, string.format('%.17g', scores[count])}
end
local hits, leases = KEYS[#KEYS - 1], KEYS[#KEYS]
redis.call('ZADD', hits, now, ARGV[4])
local ttl = math.ceil(window) + 1
if ARGV[5] ~= '' then
  redis.call('ZADD', leases, tonumber(ARGV[5]), ARGV[4])
  ttl = ttl + math.ceil(tonumber(ARGV[5]) - now)
  redis.call('EXPIRE', leases, ttl)
end
redis.call('EXPIRE', hits, ttl)
return {1, ''}
"""


class RedisGuard(ClientKeys):
    """The guard on Redis/Valkey; the same interface as ``guard.Guard``."""

    def __init__(self, url: str, secret: str = defaults.DEV_SECRET, log_addresses: bool = False,
                 timeout: float = 2.0):
        super().__init__(secret, log_addresses)
        self.url = url
        # Short timeouts and one retry: a post waits seconds at most, then gets a 503.
        self._redis = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                           retry=Retry(NoBackoff(), 1), health_check_interval=30)
        self._spend = self._redis.register_script(_SPEND)
        self._count_script = self._redis.register_script(_COUNT)

    def spend(self, nonce: str, expires: float, now: float, issued: float | None = None) -> bool:
        """True if this call was the first use (and the token was issued since Redis started)."""
        issued = now if issued is None else issued
        try:
            result = self._spend(keys=[PREFIX + "spent:" + nonce], args=[repr(issued), int(expires) + 1])
        except redis.RedisError as exc:
            raise GuardError(f"cannot record captcha use in Redis: {exc}") from exc
        return result == 1

    def _count(self, bucket: str, client: str, limit: RateLimit, now: float, lease: float | None) -> Decision:
        keys = []
        for key in self._window_keys(client, now, limit.window):
            keys += [f"{PREFIX}hits:{bucket}:{key}", f"{PREFIX}leases:{bucket}:{key}"]
        member = f"{now!r}:{secrets.token_hex(8)}"
        try:
            allowed, oldest = self._count_script(
                keys=keys, args=[repr(now), limit.window, limit.count, member, "" if lease is None else repr(lease)])
        except redis.RedisError as exc:
            raise GuardError(f"cannot update rate limit in Redis: {exc}") from exc
        if not allowed:
            return Decision(False, max(1, -int(-(float(oldest) + limit.window - now) // 1)))
        return Decision(True, 0, f"{keys[-2]}|{keys[-1]}|{member}")

    def confirm(self, rowid: str | None) -> None:
        """Make a reservation a permanent hit: its lease is forgotten."""
        if rowid is None:
            return
        _hits, leases, member = rowid.split("|")
        try:
            self._redis.zrem(leases, member)
        except redis.RedisError as exc:
            raise GuardError(f"cannot confirm rate-limit hit in Redis: {exc}") from exc

    def release(self, rowid: str | None) -> None:
        """Forget a hit (the request it counted failed on our side); never raises."""
        if rowid is None:
            return
        hits, leases, member = rowid.split("|")
        try:
            with self._redis.pipeline(transaction=True) as pipe:
                pipe.zrem(hits, member).zrem(leases, member).execute()
        except redis.RedisError:
            pass

    def remember(self, thread: str, submission: str, answer: Answered, now: float,
                 ttl: float = SUBMISSION_TTL) -> None:
        try:
            self._redis.set(f"{PREFIX}sub:{thread}:{submission}", f"{answer.comment_id} {answer.status}",
                            nx=True, ex=max(1, int(ttl)))
        except redis.RedisError as exc:
            raise GuardError(f"cannot record submission in Redis: {exc}") from exc

    def recall(self, thread: str, submission: str, now: float) -> Answered | None:
        try:
            value = self._redis.get(f"{PREFIX}sub:{thread}:{submission}")
        except redis.RedisError as exc:
            raise GuardError(f"cannot read submissions from Redis: {exc}") from exc
        if not value:
            return None
        comment_id, _, status = value.decode("ascii").partition(" ")
        return Answered(comment_id, status)

    def prune(self, now: float | None = None) -> int:
        """Nothing to do: every key expires with its window in Redis."""
        return 0

    def ping(self) -> bool:
        try:
            return bool(self._redis.ping())
        except redis.RedisError:
            return False
