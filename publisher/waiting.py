"""What waits: the scheduled texts, the drafts and the expiries to come.

Computed from a finished build's generators (``from_build``), written by the
publisher after each full publication into ``SITE_ROOT/en-attente.json``
(outside every release: a scheduled text's title is not public before its
date), read by the console's « Publications » page (``read``)::

    {"built": "…", "scheduled": [{"title", "path", "when"}],
     "drafts": [{"title", "path"}], "expiring": [{"title", "path", "when"}]}
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

WAITING_NAME = "en-attente.json"


def _path(settings, source: str) -> str:
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.relpath(os.path.abspath(source), base)


def from_build(generators, settings) -> dict:
    """The build's waiting texts as plugins/schedule tells them apart (one notion
    of "scheduled" for the build's French list and for this file), plus expiries."""
    from expiry import upcoming
    from schedule import unpublished
    from sitekit.clock import build_now

    now = build_now(settings)
    scheduled, drafts = [], []
    for obj in unpublished(generators):
        if not getattr(obj, "source_path", None):
            continue
        item = {"title": str(getattr(obj, "title", "")), "path": _path(settings, obj.source_path)}
        date = getattr(obj, "date", None)
        if getattr(obj, "scheduled", False) and isinstance(date, dt.datetime):
            aware = date if date.tzinfo else date.replace(tzinfo=now.tzinfo)
            scheduled.append({**item, "when": aware.isoformat()})
        else:
            drafts.append(item)
    expiring = [{"title": str(title), "path": _path(settings, path), "when": when.isoformat()}
                for when, path, title in upcoming(settings)]
    return {"built": now.isoformat(), "scheduled": sorted(scheduled, key=lambda i: i["when"]),
            "drafts": sorted(drafts, key=lambda i: i["path"]), "expiring": expiring}


def write(root: Path | str, waiting: dict) -> None:
    path = Path(root) / WAITING_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(waiting, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def read(root: Path | str) -> dict:
    """The last list written; empty lists when absent or damaged."""
    empty = {"built": "", "scheduled": [], "drafts": [], "expiring": []}
    try:
        found = json.loads((Path(root) / WAITING_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(found, dict):
        return empty
    return {key: found.get(key) if isinstance(found.get(key), type(value)) else value
            for key, value in empty.items()}
