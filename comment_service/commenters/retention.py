"""Retention of the commenters' subscriptions (run by ``personal-data purge``).

The address of a subscribed comment is kept only while a mail can still be
due: once the reply window (``COMMENTS_NOTIFY_WINDOW_DAYS`` after the
moderation) has closed, the subscription is removed and the address taken
out of the comment. A request never confirmed is removed once its
confirmation link has expired (the comment's address then follows the
general rule, ``COMMENTS_EMAIL_RETENTION_DAYS``). A subscription whose
comment is gone is removed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import defaults
from ..store import Conflict, DamagedComment, NotFound
from ..store.redaction import amend
from .records import Subscriptions, parse_stamp


def purge(store, window_days: int, now: datetime) -> tuple[list[str], list[str]]:
    """(subscriptions removed, comments whose address was removed)."""
    subs = Subscriptions(store)
    removed, emails = [], []
    window_cutoff = now - timedelta(days=window_days)
    for comment_id in subs.ids():
        sub = subs.get(comment_id)
        try:
            comment = store.get(comment_id)
        except NotFound:
            subs.remove(comment_id)
            removed.append(comment_id)
            continue
        except DamagedComment:
            continue
        if sub is None:
            continue
        try:
            requested = parse_stamp(sub.requested_at)
        except ValueError:
            requested = 0.0
        if sub.state == "requested" and now.timestamp() - requested > defaults.NOTIFY_CONFIRM_DAYS * 86400:
            subs.remove(comment_id)
            removed.append(comment_id)
            continue
        if comment.status in ("approved", "rejected") and (comment.moderated or comment.created) <= window_cutoff:
            try:
                if comment.email and amend(store, comment_id, email="", expect_state=comment.status) is not None:
                    emails.append(comment_id)
            except (NotFound, Conflict, DamagedComment):
                continue  # moved meanwhile: the next run
            subs.remove(comment_id)
            removed.append(comment_id)
    return removed, emails
