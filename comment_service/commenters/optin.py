"""At post time: a checked « Me prévenir par courriel » box records a *requested*
subscription (the notify process then sends the one confirmation mail).

Rate limits (the guard's sliding windows): per client and per address
(keyed by the address's hash, never the address), so that the form cannot be
used to send confirmation mails to a stranger's box without end. Over a limit,
or on a storage failure, the comment is kept and no subscription recorded
(logged): the comment matters more than its mails.
"""

from __future__ import annotations

import logging

from .. import defaults
from ..config import RateLimit
from ..guard.sqlite import GuardError
from ..store import StoreError
from .records import Subscriptions, address_hash

log = logging.getLogger("comment_service.commenters")
CLIENT_LIMIT = RateLimit.parse("NOTIFY_CLIENT_RATE_LIMIT", defaults.NOTIFY_CLIENT_RATE_LIMIT)
ADDRESS_LIMIT = RateLimit.parse("NOTIFY_ADDRESS_RATE_LIMIT", defaults.NOTIFY_ADDRESS_RATE_LIMIT)


def request(deps, client: str, comment, now: float) -> bool:
    """Record a requested subscription for a stored comment; True when recorded."""
    subs = Subscriptions(deps.store)
    try:
        if subs.suppressed(comment.email):
            log.info("no subscription for comment %s: the address is suppressed", comment.id)
            return False
        for bucket, key, limit in (("notify-client", client, CLIENT_LIMIT),
                                   ("notify-address", address_hash(comment.email), ADDRESS_LIMIT)):
            if not deps.guard.hit(bucket, key, limit, now).allowed:
                log.info("no subscription for comment %s: rate limit %s reached", comment.id, bucket)
                return False
        subs.request(comment.id, now)
    except (GuardError, StoreError, OSError) as exc:
        log.error("comment %s stored, but its subscription could not be recorded: %s", comment.id, exc)
        return False
    return True
