"""The VTIMEZONE of a calendar, computed from the tz database (zoneinfo).

RFC 5545 (3.6.5) writes each observance's onset (DTSTART, RDATE) in the local
time *before* the change, the offset named by TZOFFSETFROM: in Paris, summer
time starts at 02:00 (01:00 UTC + 1 h) and ends at 03:00 (01:00 UTC + 2 h).
The icalendar library's ``add_missing_timezones`` writes 03:00 for both, so
strict clients shift the spring night by an hour; this module writes them as
the RFC says. Pure: no Pelican, no I/O.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

UTC = dt.timezone.utc


def _offset(tz: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    return instant.astimezone(tz).utcoffset()


def transitions(tz: ZoneInfo, first: dt.date, last: dt.date):
    """[(UTC instant, offset before, offset after, name after, is summer)] in [first, last)."""
    found = []
    day = dt.datetime.combine(first, dt.time(), UTC)
    end = dt.datetime.combine(last, dt.time(), UTC)
    while day < end:
        nxt = day + dt.timedelta(days=1)
        before, after = _offset(tz, day), _offset(tz, nxt)
        if before != after:
            low, high = 0, 86400  # bisect to the second: the change is at day + high
            while high - low > 1:
                mid = (low + high) // 2
                moment = day + dt.timedelta(seconds=mid)
                low, high = (mid, high) if _offset(tz, moment) == before else (low, mid)
            high = day + dt.timedelta(seconds=high)
            local = high.astimezone(tz)
            found.append((high, before, after, local.tzname(), bool(local.dst())))
        day = nxt
    return found


def vtimezone(name: str, first: dt.date, last: dt.date) -> Timezone:
    """VTIMEZONE for ``name`` valid from ``first`` to ``last`` (dates)."""
    tz = ZoneInfo(name)
    component = Timezone()
    component.add("tzid", name)
    opening = dt.datetime.combine(first, dt.time(), tz)
    start = TimezoneDaylight() if opening.dst() else TimezoneStandard()
    start.add("dtstart", opening.replace(tzinfo=None))
    start.add("tzname", opening.tzname())
    start.add("tzoffsetfrom", opening.utcoffset())
    start.add("tzoffsetto", opening.utcoffset())
    component.add_component(start)
    groups: dict[tuple, list[dt.datetime]] = {}
    for instant, before, after, tzname, summer in transitions(tz, first, last):
        onset = (instant + before).replace(tzinfo=None)  # local time before the change
        groups.setdefault((summer, tzname, before, after), []).append(onset)
    for (summer, tzname, before, after), onsets in groups.items():
        observance = TimezoneDaylight() if summer else TimezoneStandard()
        observance.add("dtstart", onsets[0])
        for onset in onsets[1:]:
            observance.add("rdate", onset)
        observance.add("tzname", tzname)
        observance.add("tzoffsetfrom", before)
        observance.add("tzoffsetto", after)
        component.add_component(observance)
    return component
