"""Helpers shared by the events tests (imported by name: the test folders
are not packages, and several files are called conftest.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from support import ROOT, front_matter, squash  # noqa: F401 (re-exported)

TODAY = "2026-11-26"

GOOD_EVENT = """Title: Un événement correct
Start: 2014-03-01 10:00
End: 2014-03-01 12:00
Location: Hôtel du Département
Address: 2 avenue du Parc, 95000 Cergy-Pontoise
Price: gratuit
Registration: https://inscriptions.example.org/correct

Du texte.
"""


def parse_local(value: str) -> dt.datetime | dt.date:
    """Start/End as the tests understand them: a date, or a naive datetime."""
    if len(value) == 10:
        return dt.date.fromisoformat(value)
    return dt.datetime.strptime(value, "%Y-%m-%d %H:%M")


def slug_of(title: str) -> str:
    from pelican.utils import slugify

    return slugify(title, regex_subs=[
        (r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")])


def event_url(meta: dict[str, str]) -> str:
    return f"/agenda/{meta.get('slug') or slug_of(meta['title'])}/"


def ends_at(meta: dict[str, str]) -> dt.datetime:
    """When the event is over, naive local time (tests' own reading)."""
    end = parse_local(meta.get("end") or meta["start"])
    if isinstance(end, dt.datetime):
        return end
    return dt.datetime.combine(end + dt.timedelta(days=1), dt.time())


def starts_at(meta: dict[str, str]) -> dt.datetime:
    start = parse_local(meta["start"])
    return start if isinstance(start, dt.datetime) else dt.datetime.combine(start, dt.time())
