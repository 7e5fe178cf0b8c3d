"""Open accessibility requests in the moderators' mail (comment_service/ops/notify.py).

``collect`` lists the open requests (not answered, not redacted) with their
days left; the mail goes out when a request arrived since the last mail, or
when one is urgent (due within 2 days, or overdue) and no mail said so for a
day; it is louder then: the subject and the first line say URGENT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from . import deadlines, texts
from .records import Requests

REMIND_EVERY = 86400.0  # at most one urgent reminder a day (besides new requests)


@dataclass(frozen=True)
class Open:
    requests: list  # open Request objects, oldest first
    urgent: list
    now: datetime

    def __bool__(self) -> bool:
        return bool(self.requests)


def collect(store_root, now: float) -> Open:
    moment = datetime.fromtimestamp(now, timezone.utc)
    waiting = [r for r in Requests(store_root).all() if not r.answer and not r.redacted]
    return Open(waiting, [r for r in waiting if deadlines.urgent(r.received, moment)], moment)


def worth_a_mail(found: Open, state: dict, now: float) -> bool:
    """A request new since the last mail, or an urgent one not reminded for a day."""
    newest = max((r.id for r in found.requests), default="")
    if newest > (state.get("a11y_last_id") or ""):
        return True
    return bool(found.urgent) and now - float(state.get("a11y_reminded", 0)) >= REMIND_EVERY


def saved(found: Open, state: dict, now: float) -> dict:
    """The notify state's accessibility keys after a mail."""
    newest = max((r.id for r in found.requests), default="")
    return {"a11y_last_id": max(newest, state.get("a11y_last_id") or ""),
            "a11y_reminded": now if found.urgent else float(state.get("a11y_reminded", 0))}


def subject(found: Open, comments_subject: str | None) -> str:
    if found.urgent:
        return texts.NOTIFY_SUBJECT_URGENT.format(n=len(found.urgent))
    if comments_subject:
        return comments_subject + " ; " + texts.NOTIFY_SUBJECT_OPEN.format(n=len(found.requests))
    return texts.NOTIFY_SUBJECT_OPEN.format(n=len(found.requests))


def first_lines(found: Open) -> list[str]:
    return [texts.NOTIFY_URGENT.format(n=len(found.urgent)), ""] if found.urgent else []


def section(found: Open, clean, datetime_fr) -> list[str]:
    """The list of open requests (``clean``: one line of plain text, links tamed)."""
    lines = [texts.NOTIFY_SECTION.format(n=len(found.requests))]
    for request in found.requests:
        left = texts.days_left_label(deadlines.days_left(request.received, found.now))
        lines.append(texts.NOTIFY_ITEM.format(date=datetime_fr(request.received), left=left,
                                              name=clean(request.name)))
    return lines + [""]
