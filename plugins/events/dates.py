"""Event dates: strict reading of Start/End, and date ranges in natural French.

Pure functions, without Pelican: they are unit-tested on their own.

A date alone (``2014-06-12``) means an all-day event; a date and a time
(``2014-06-12 09:00``) a timed one, in local time (Europe/Paris).
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date

from sitekit.dates import date_fr, day_fr, time_fr

LOCALE = "fr_FR"
DATE_ONLY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# One piece of a formatted range: its text, and the machine-readable value for
# a <time datetime="…"> element (None for the words in between).
Segment = tuple[str, "str | None"]


def is_date_only(value: str) -> bool:
    return bool(DATE_ONLY_RE.match(value.strip()))


def _day_month(value: dt.date) -> str:
    return f"{day_fr(value)} {format_date(value, 'MMMM', locale=LOCALE)}"


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def iso(value: dt.date | dt.datetime) -> str:
    """ISO 8601 for <time datetime> and schema.org: 2014-06-12 or 2014-06-12T09:00+02:00."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def event_range_segments(start: dt.date | dt.datetime,
                         end: dt.date | dt.datetime | None = None,
                         all_day: bool = False) -> list[Segment]:
    """The date range of an event in French, cut into segments.

    For an all-day event, ``end`` is the last day (inclusive) or None for a
    single day. For a timed event, ``end`` is the end time or None.
    """
    if all_day:
        first = _as_date(start)
        last = _as_date(end) if end is not None else first
        if last == first:
            return [(date_fr(first, "full"), iso(first))]
        if (first.year, first.month) == (last.year, last.month):
            opening = day_fr(first)
        elif first.year == last.year:
            opening = _day_month(first)
        else:
            opening = date_fr(first)
        return [("du ", None), (opening, iso(first)), (" au ", None),
                (date_fr(last), iso(last))]
    if end is None:
        return [(f"{date_fr(start, 'full')} à {time_fr(start)}", iso(start))]
    if start.date() == end.date():
        return [(f"{date_fr(start, 'full')}, de {time_fr(start)}", iso(start)),
                (" à ", None), (time_fr(end), iso(end))]
    return [("du ", None), (f"{date_fr(start, 'full')} à {time_fr(start)}", iso(start)),
            (" au ", None), (f"{date_fr(end, 'full')} à {time_fr(end)}", iso(end))]


def format_event_range(start: dt.date | dt.datetime,
                       end: dt.date | dt.datetime | None = None,
                       all_day: bool = False) -> str:
    """« jeudi 12 juin 2014, de 9 h à 17 h », « du 12 au 14 juin 2014 »…

    Hours use non-breaking spaces (``9\u00a0h``), like the ``time_fr`` filter.
    """
    return "".join(text for text, _ in event_range_segments(start, end, all_day))
