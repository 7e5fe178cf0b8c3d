"""Any Start/End an editor may type (years 1 to 9999, with or without a
time) is read without an exception: either problems in French, or dates the
rest of the plugin can compute with (the year-9999 crash, OverflowError)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from events.dates import format_event_range
from editorial.fields import YEARS
from events.model import parse_event_fields
from events.vtimezone import vtimezone

PARIS = ZoneInfo("Europe/Paris")


def moments():
    day = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
    time = st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0))
    return st.builds(lambda d, t: d.isoformat() + (f" {t:%H:%M}" if t else ""), day, time)


@settings(max_examples=300, deadline=None)
@given(start=moments(), end=st.none() | moments())
@example(start="9999-12-31", end=None)  # the crash the issue saw
@example(start="9999-06-01 10:00", end="9999-06-01 12:00")
@example(start="2026-12-05", end="9999-12-31")
def test_any_start_and_end_are_read_or_refused_never_crash(start, end):
    metadata = {"start": start, "location": "Cergy", **({"end": end} if end else {})}
    values, problems = parse_event_fields(metadata, PARIS)
    if any(field == "start" for field, _ in problems):
        return
    assert YEARS[0] <= values["first_day"].year <= YEARS[1]
    assert values["ends_at"] >= values["start"]
    last = values["last_day"]
    format_event_range(values["first_day"] if values["all_day"] else values["start"],
                       None if values["end"] is None else
                       (last if values["all_day"] else values["end"]), values["all_day"])
    vtimezone("Europe/Paris", dt.date(values["first_day"].year, 1, 1),
              dt.date(last.year + 2, 1, 1))
