"""The build's "now", shared by the plugins that hold or remove content on
time (``schedule``: scheduled articles; ``expiry``: ``Expire:``).

``SCHEDULE_NOW`` (setting, or the environment variable of the same name):
the moment that counts as now, ``AAAA-MM-JJ`` or ``AAAA-MM-JJ HH:MM`` in the
site's TIMEZONE, for reproducible builds and tests; default: the build's
own clock. Pure, no Pelican.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo


class ScheduleError(ValueError):
    exitcode = 2


def parse_now(value, timezone: str) -> dt.datetime:
    """``SCHEDULE_NOW`` as an aware datetime; None or "" is the current time."""
    zone = ZoneInfo(timezone)
    if value in (None, ""):
        return dt.datetime.now(zone)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), zone)
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ScheduleError(f"SCHEDULE_NOW « {value} » illisible : écrivez AAAA-MM-JJ ou "
                            "AAAA-MM-JJ HH:MM") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def build_now(settings) -> dt.datetime:
    """The build's now: its ``SCHEDULE_NOW`` setting, else the environment's, else the clock."""
    return parse_now(settings.get("SCHEDULE_NOW") or os.environ.get("SCHEDULE_NOW"),
                     settings.get("TIMEZONE") or "UTC")
