"""``COMMENTS_REPORTS_HIDE_AFTER``: a published comment with that many open
reports leaves its page until a moderator looks at it.

It is the console's « Retirer de la page » (``unpublish``): the store moves
the comment from ``approved/`` back to ``pending/`` (a rename under the
moderation lock), the publisher, which watches ``approved/``, publishes the
page again without it, and the move is written to the audit log (actor
``service``, source ``reports``). Its reports stay open: the « Signalements »
view shows it, « Maintenir » puts it back on the page, « Retirer » keeps it
off. 0 turns this off.
"""

from __future__ import annotations

import logging

from ..ops.audit import AuditError, AuditLog
from ..store import Comment, CommentStore, Conflict, DamagedComment, NotFound, StoreError
from .records import OPEN, ReportStore

log = logging.getLogger("comment_service")

ACTOR = "service"
ACTION = "report-hide"


def apply(store: CommentStore, reports: ReportStore, comment: Comment, hide_after: int) -> bool:
    """Hide ``comment`` when it has ``hide_after`` open reports or more; True if it was hidden now."""
    if hide_after <= 0:
        return False
    count = sum(1 for r in reports.for_comment(comment.id) if r.status == OPEN)
    if count < hide_after:
        return False
    try:
        store.move(comment.id, "pending", expect="approved")
    except (Conflict, NotFound, DamagedComment):
        return False  # a moderator acted meanwhile: theirs is the decision
    except StoreError as exc:  # the report is stored; the comment stays until a moderator acts
        log.error("cannot hide reported comment %s: %s", comment.id, exc)
        return False
    log.info("comment %s hidden after %d open reports", comment.id, count)
    try:
        AuditLog(store.root).append(ACTOR, ACTION, comment_id=comment.id, thread=comment.thread, source="reports",
                                    previous="approved", reports=count)
    except AuditError as exc:
        log.error("comment %s hidden, but the audit log refused: %s", comment.id, exc)
    return True
