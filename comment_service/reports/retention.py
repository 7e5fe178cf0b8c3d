"""The reports under the personal-data rules (``ops/personal_data.py``: purge, erase).

A report holds no address and no name; its optional details may still name
someone. They follow the rule of a comment's e-mail address: emptied
``COMMENTS_EMAIL_RETENTION_DAYS`` after the report was closed by a
moderator (or after it was received, when its comment no longer exists);
``erase`` empties the details of every report about the erased comments. The
report itself (reason, dates, outcome: no personal data) stays for the
monthly moderation table. The guard's hashes of reporters' addresses expire
with its window (``prune``), like the commenters'.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..store import CommentStore, DamagedComment, NotFound
from .records import OPEN, ReportStore


def _gone(store: CommentStore, comment_id: str) -> bool:
    try:
        store.get(comment_id)
    except NotFound:
        return True
    except DamagedComment:
        return False
    return False


def purge(store: CommentStore, retention_days: int, now: datetime) -> int:
    """Empty the details of the reports past retention; the count emptied."""
    cutoff = now - timedelta(days=retention_days)
    due = []
    for report in ReportStore(store.root).iter_all():
        if not report.message:
            continue
        if report.status != OPEN and report.closed is not None and report.closed <= cutoff:
            due.append(report)
        elif report.status == OPEN and report.created <= cutoff and _gone(store, report.comment_id):
            due.append(report)
    return ReportStore(store.root).clear_messages(due)


def erase(store: CommentStore, comment_ids) -> int:
    """Empty the details of every report about these comments; the count emptied."""
    reports = ReportStore(store.root)
    found = [r for comment_id in comment_ids for r in reports.for_comment(comment_id)]
    return reports.clear_messages(found)
