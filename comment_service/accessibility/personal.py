"""Personal data of accessibility requesters: erasure, export and retention
(called by comment_service/ops/personal_data.py, as for comments).

* ``erase``: every request of an address loses its personal data (name,
  address, page, description, answer text); the file keeps its dates only
  (received, answered), so the monthly table's counts do not change. The
  audit entries of those requests lose the same fields.
* ``purge``: a request answered more than ``COMMENTS_EMAIL_RETENTION_DAYS``
  ago (the comments' address retention) is redacted the same way; an open
  request keeps its data until it is answered (it is needed to answer).
* ``export``: the requests of an address, as stored.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from .records import Requests

#: The audit fields that hold a requester's data (console.py writes them).
AUDIT_PERSONAL = ("requester", "email", "page", "request", "answer")


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold() != ""


def of(store_root, email: str):
    return [r for r in Requests(store_root).all() if _same(r.email, email)]


def export(store_root, email: str | None) -> list[dict]:
    return [asdict(r) for r in of(store_root, email)] if email else []


def erase(store_root, email: str | None) -> list[str]:
    """Redact every request of ``email``; their ids."""
    if not email:
        return []
    requests = Requests(store_root)
    return [r.id for r in of(store_root, email) if requests.redact(r.id) is not None]


def purge(store_root, retention_days: int, now: datetime) -> list[str]:
    """Redact the requests answered ``retention_days`` ago or more; their ids."""
    cutoff = now - timedelta(days=retention_days)
    requests = Requests(store_root)
    return [r.id for r in requests.all()
            if not r.redacted and r.answered is not None and r.answered <= cutoff and requests.redact(r.id)]


def audit_scrubber(ids, placeholder: str):
    """An audit transform: the personal fields of these requests' entries become ``placeholder``."""
    ids = set(ids)

    def transform(entry: dict) -> dict:
        if entry.get("request_id") not in ids:
            return entry
        return {k: placeholder if k in AUDIT_PERSONAL else v for k, v in entry.items()}

    return transform
