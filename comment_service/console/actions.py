"""Moderation changes made from the console: the store's atomic moves under
its lock, one audit line each, and French words for what happened.

Every change names the state the moderator saw (``expect``): if another
moderator (or a command) changed the comment meanwhile, the store refuses
with ``Conflict`` and nothing happens; the moderator reads why. A comment is
never in two states: the store's moves are renames under one lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..ops.audit import AuditLog
from ..store import CommentStore, Conflict, DamagedComment, InvalidId, NotFound, StoreError
from . import texts

log = logging.getLogger("comment_service.console")

TARGETS = {"approve": "approved", "reject": "rejected", "unpublish": "pending", "restore": "pending"}
AUDIT_NAMES = {"approve": "approve", "reject": "reject", "unpublish": "unpublish", "restore": "restore",
               "delete": "delete"}


@dataclass
class Result:
    done: int = 0
    public: bool = False  # a change the public page will show
    alerts: list[str] = field(default_factory=list)

    def messages(self, action: str, publication: str) -> tuple[list[str], list[str]]:
        """(status messages, alerts) for the next page."""
        status = []
        if self.done:
            status.append(texts.DONE[action].format(n=self.done))
            if self.public:
                status.append(texts.PUBLICATION[publication])
        return status, list(dict.fromkeys(self.alerts))


@dataclass(frozen=True)
class Actor:
    account: str
    address: str


def apply(store: CommentStore, audit: AuditLog, actor: Actor, action: str, ids: list[str], seen_state: str,
          reason: dict[str, str]) -> Result:
    """Apply one action to each comment id; ``reason`` gives each rejected id its reason key."""
    result = Result()
    for comment_id in ids:
        try:
            if action == "delete":
                comment = store.delete(comment_id, expect=seen_state)
            else:
                comment = store.move(comment_id, TARGETS[action], expect=seen_state,
                                     reason=reason.get(comment_id) if action == "reject" else None)
        except Conflict as exc:
            result.alerts.append(texts.CONFLICT.format(state=texts.STATE_WORDS[exc.comment.status]))
            continue
        except (NotFound, InvalidId):
            result.alerts.append(texts.GONE)
            continue
        except DamagedComment as exc:
            log.error("damaged comment %s: %s", exc.path, exc.reason)
            result.alerts.append(texts.DAMAGED)
            continue
        except StoreError as exc:
            log.error("cannot %s %s: %s", action, comment_id, exc)
            result.alerts.append(texts.STORE_FAILED)
            break
        details = {"reason": comment.reason} if action == "reject" and comment.reason else {}
        audit.append(actor.account, AUDIT_NAMES[action], comment_id=comment.id, thread=comment.thread,
                     source="console", address=actor.address, previous=seen_state, **details)
        result.done += 1
        result.public = result.public or action in ("approve", "unpublish") or seen_state == "approved"
    return result
