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
  counted (ZCARD: no hit is read unless the limit is reached), and a new
  member is added only when fewer than ``limit.count`` remain; refused, it answers the seconds until the ``count``-th most recent
  hit leaves the window. ``confirm`` removes the lease (the hit stays, as in
  SQLite), ``release`` removes both. Keys expire with their window.
- ``remember``: ``SET sub:<thread>:<id> <answer> NX EX <ttl>``; ``recall``: ``GET``.
- ``admit``: recall, spend and reserve of one post in one script (one round
  trip); ``settle``: confirm and remember in one pipeline.
- Any Redis failure raises ``GuardError``: the service answers 503 and never
  accepts a post without the guard; the client reconnects by itself.

Client addresses are hashed as in SQLite (``guard_base.ClientKeys``).
"""

from __future__ import annotations

import secrets

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .. import defaults
from ..config import RateLimit
from .base import SUBMISSION_TTL, Admission, Answered, ClientKeys, Decision, Entry, GuardError

PREFIX = "comments:guard:"

# Lua functions shared by the scripts below (a script is one atomic step).
# spend(key, issued, expiry): 1 spent now, 0 spent before, -1 issued before Redis started.
_SPEND_FN = """
local function spend(key, issued, expiry)
  local info = redis.call('INFO', 'server')
  local uptime = tonumber(string.match(info, 'uptime_in_seconds:(%d+)'))
  local started = tonumber(redis.call('TIME')[1]) - uptime
  if tonumber(issued) < started + 1 then return -1 end
  if redis.call('SET', key, '1', 'NX', 'EXAT', expiry) then return 1 end
  return 0
end
"""
# count(keys, first, now, window, count, member, lease): keys[first..] are the
# hits and leases keys of each day the window touches (pairs), the last pair
# today's; lease '' = none. {1, ''} counted, {0, score of the count-th most
# recent hit} refused. Cardinalities first: under the limit, no hit is read.
_COUNT_FN = """
local function count_hit(keys, first, now, window, count, member, lease)
  local total = 0
  for i = first, #keys, 2 do
    local lapsed = redis.call('ZRANGEBYSCORE', keys[i + 1], '-inf', now)
    for _, m in ipairs(lapsed) do redis.call('ZREM', keys[i], m) end
    redis.call('ZREMRANGEBYSCORE', keys[i + 1], '-inf', now)
    redis.call('ZREMRANGEBYSCORE', keys[i], '-inf', now - window)
    total = total + redis.call('ZCARD', keys[i])
  end
  if total >= count then
    local scores = {}
    for i = first, #keys, 2 do
      local found = redis.call('ZRANGEBYSCORE', keys[i], '(' .. (now - window), '+inf', 'WITHSCORES')
      for j = 2, #found, 2 do scores[#scores + 1] = tonumber(found[j]) end
    end
    if #scores >= count then
      table.sort(scores, function(a, b) return a > b end)
      return {0, string.format('%.17g', scores[count])}
    end
  end
  local hits, leases = keys[#keys - 1], keys[#keys]
  redis.call('ZADD', hits, now, member)
  local ttl = math.ceil(window) + 1
  if lease ~= '' then
    redis.call('ZADD', leases, tonumber(lease), member)
    ttl = ttl + math.ceil(tonumber(lease) - now)
    redis.call('EXPIRE', leases, ttl)
  end
  redis.call('EXPIRE', hits, ttl)
  return {1, ''}
end
"""
# KEYS: spent key. ARGV: issued, expiry.
_SPEND = _SPEND_FN + "return spend(KEYS[1], ARGV[1], ARGV[2])"
# KEYS: the pairs of count_hit. ARGV: now, window, count, member, lease end ('' = none).
_COUNT = _COUNT_FN + """
return count_hit(KEYS, 1, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5])
"""
# admit: KEYS: submission key, spent key, then the pairs of count_hit (none when
# no hit is asked). ARGV: recall? (1/0), spend? (1/0), issued, expiry, now,
# window, count, member, lease end. Answers {'answered', value}, {'used'},
# {'spent' or 'none', allowed, oldest} or {'spent' or 'none'} (no hit asked).
_ADMIT = _SPEND_FN + _COUNT_FN + """
if ARGV[1] == '1' then
  local answered = redis.call('GET', KEYS[1])
  if answered then return {'answered', answered} end
end
local spent = 'none'
if ARGV[2] == '1' then
  if spend(KEYS[2], ARGV[3], ARGV[4]) ~= 1 then return {'used'} end
  spent = 'spent'
end
if #KEYS < 3 then return {spent} end
local counted = count_hit(KEYS, 3, tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], ARGV[9])
return {spent, counted[1], counted[2]}
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
        self._admit_script = self._redis.register_script(_ADMIT)

    def spend(self, nonce: str, expires: float, now: float, issued: float | None = None) -> bool:
        """True if this call was the first use (and the token was issued since Redis started)."""
        issued = now if issued is None else issued
        try:
            result = self._spend(keys=[PREFIX + "spent:" + nonce], args=[repr(issued), int(expires) + 1])
        except redis.RedisError as exc:
            raise GuardError(f"cannot record captcha use in Redis: {exc}") from exc
        return result == 1

    def _count_keys(self, bucket: str, client: str, now: float, limit: RateLimit) -> list[str]:
        keys = []
        for key in self._window_keys(client, now, limit.window):
            keys += [f"{PREFIX}hits:{bucket}:{key}", f"{PREFIX}leases:{bucket}:{key}"]
        return keys

    @staticmethod
    def _counted(keys: list[str], member: str, limit: RateLimit, now: float, allowed, oldest) -> Decision:
        if not allowed:
            return Decision(False, max(1, -int(-(float(oldest) + limit.window - now) // 1)))
        return Decision(True, 0, f"{keys[-2]}|{keys[-1]}|{member}")

    def _count(self, bucket: str, client: str, limit: RateLimit, now: float, lease: float | None) -> Decision:
        keys = self._count_keys(bucket, client, now, limit)
        member = f"{now!r}:{secrets.token_hex(8)}"
        try:
            allowed, oldest = self._count_script(
                keys=keys, args=[repr(now), limit.window, limit.count, member, "" if lease is None else repr(lease)])
        except redis.RedisError as exc:
            raise GuardError(f"cannot update rate limit in Redis: {exc}") from exc
        return self._counted(keys, member, limit, now, allowed, oldest)

    def admit(self, entry: Entry) -> Admission:
        """Recall, spend, reserve (see ``guard_base.Entry``): one script, one round trip."""
        now, limit = entry.now, entry.limit
        keys = [f"{PREFIX}sub:{entry.thread}:{entry.submission}", PREFIX + "spent:" + entry.nonce]
        member = f"{now!r}:{secrets.token_hex(8)}"
        if limit is not None:
            keys += self._count_keys(entry.bucket, entry.client, now, limit)
        issued = now if entry.issued is None else entry.issued
        args = ["1" if entry.submission else "0", "1" if entry.nonce else "0", repr(issued),
                int(entry.nonce_expires) + 1, repr(now), limit.window if limit else 0, limit.count if limit else 0,
                member, repr(now + entry.lease)]
        try:
            result = self._admit_script(keys=keys, args=args)
        except redis.RedisError as exc:
            raise GuardError(f"cannot check a post in Redis: {exc}") from exc
        outcome = result[0].decode("ascii")
        if outcome == "answered":
            return Admission(answered=self._answer(result[1]))
        if outcome == "used":
            return Admission(spent=False)
        spent = True if outcome == "spent" else None
        if len(result) == 1:
            return Admission(spent=spent)
        return Admission(spent=spent, reservation=self._counted(keys, member, limit, now, result[1], result[2]))

    def settle(self, rowid: str | None, thread: str, submission: str, answer: Answered, now: float,
               ttl: float = SUBMISSION_TTL) -> None:
        """confirm(rowid) and, with a submission id, remember(...): one round trip."""
        if rowid is None and not submission:
            return
        try:
            with self._redis.pipeline(transaction=True) as pipe:
                if rowid is not None:
                    _hits, leases, member = rowid.split("|")
                    pipe.zrem(leases, member)
                if submission:
                    pipe.set(f"{PREFIX}sub:{thread}:{submission}", f"{answer.comment_id} {answer.status}",
                             nx=True, ex=max(1, int(ttl)))
                pipe.execute()
        except redis.RedisError as exc:
            raise GuardError(f"cannot record a stored comment in Redis: {exc}") from exc

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
        return self._answer(value) if value else None

    @staticmethod
    def _answer(value: bytes) -> Answered:
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
