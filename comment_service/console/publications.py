"""The console's « Publications » page: who published what, the last refusal
with its French report, and what waits (scheduled texts, drafts, expiries).

Read-only: the publisher's journal (``publisher/journal.py``) and its list of
what waits (``publisher/waiting.py``) under the configured ``SITE_ROOT``.
Every value comes from files a build or a push wrote: a damaged line or
field is left out, never trusted (the templates escape everything).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from publisher import journal, waiting
from publisher.git import preview

from . import texts
from .views import french_datetime

LIMIT = 30


def _when(value) -> str:
    try:
        return french_datetime(datetime.fromisoformat(str(value)))
    except (TypeError, ValueError):
        return ""


def _text(value, limit: int = 300) -> str:
    return str(value)[:limit] if isinstance(value, (str, int, float)) else ""


@dataclass(frozen=True)
class Entry:
    when: str
    when_iso: str
    refused: bool
    outcome: str
    kind: str
    commit: str
    author: str
    subject: str
    files: tuple[str, ...]
    more_files: int
    report: str


def entry(raw: dict) -> Entry:
    files = raw.get("files") if isinstance(raw.get("files"), list) else []
    more = raw.get("more_files")
    sha = _text(raw.get("commit"), 40)
    return Entry(
        when=_when(raw.get("time")), when_iso=_text(raw.get("time"), 40),
        refused=raw.get("outcome") == "refused",
        outcome=texts.PUB_OUTCOMES.get(raw.get("outcome"), _text(raw.get("outcome"), 40)),
        kind=texts.PUB_KINDS.get(raw.get("kind"), _text(raw.get("kind"), 40)),
        commit=texts.PUB_COMMIT.format(sha=sha[:10]) if sha else "",
        author=_text(raw.get("author"), 200), subject=_text(raw.get("subject"), 300),
        files=tuple(_text(f, 300) for f in files[:journal.FILES_MAX]),
        more_files=more if isinstance(more, int) and more > 0 else 0,
        report=_text(raw.get("report"), journal.REPORT_MAX))


def _items(found: list, dated: bool) -> list[dict]:
    items = []
    for raw in found:
        if isinstance(raw, dict):
            items.append({"title": _text(raw.get("title")), "path": _text(raw.get("path")),
                          "when": _when(raw.get("when")) if dated else ""})
    return items


def context(site_root) -> dict:
    """What the template shows."""
    entries = [entry(raw) for raw in journal.read_last(site_root, LIMIT)]
    refusal = next((e for e in entries if e.refused), None)
    fixed_by = None
    if refusal is not None:
        later = [e for e in entries[:entries.index(refusal)] if not e.refused]
        fixed_by = later[-1] if later else None
    waits = waiting.read(site_root)
    groups = [(texts.PUB_SCHEDULED, _items(waits["scheduled"], True), texts.PUB_SCHEDULED_NONE),
              (texts.PUB_EXPIRING, _items(waits["expiring"], True), texts.PUB_EXPIRING_NONE),
              (texts.PUB_DRAFTS, _items(waits["drafts"], False), texts.PUB_DRAFTS_NONE)]
    return {"entries": entries, "refusal": refusal, "fixed_by": fixed_by,
            "previews": [(name, f"/{preview.FOLDER}/{name}/") for name in preview.names(site_root)],
            "waiting_groups": groups, "waiting_as_of": _when(waits["built"])}
