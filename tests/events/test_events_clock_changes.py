"""The nights the clocks change: a time that does not exist is refused, a time
that exists twice must state its offset; the calendar says it right."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from editorial import ContentError
from events_testlib import GOOD_EVENT

UTC = dt.timezone.utc
ICS = "agenda/un-evenement-correct/un-evenement-correct.ics"


def at(start: str, end: str | None = None) -> str:
    text = GOOD_EVENT.replace("Start: 2014-03-01 10:00", f"Start: {start}")
    return text.replace("End: 2014-03-01 12:00", f"End: {end}" if end else "End: 2027-12-31 10:00")


def build_error(build_events, content_copy) -> str:
    with pytest.raises(ContentError) as err:
        build_events(content=content_copy)
    return str(err.value)


def the_event(site):
    cal = Calendar.from_ical((site.output / ICS).read_bytes())
    (event,) = cal.walk("VEVENT")
    return cal, event


@pytest.mark.parametrize("start", ["2027-03-28 02:30", "2027-03-28 02:00", "2027-03-28 02:59"])
def test_a_time_skipped_in_spring_is_refused(build_events, content_copy, write_event, start):
    write_event("printemps.md", at(start))
    message = build_error(build_events, content_copy)
    line = next(x for x in message.splitlines() if "events/printemps.md" in x)
    assert "events/printemps.md, ligne 2 : champ « start »" in line
    assert f"l'heure {start[-5:]} n'existe pas le 28 mars 2027" in line
    assert "par exemple 03:" in line


def test_an_end_skipped_in_spring_is_refused_too(build_events, content_copy, write_event):
    write_event("fin.md", at("2027-03-28 01:00", "2027-03-28 02:15"))
    message = build_error(build_events, content_copy)
    assert "« end »" in message and "l'heure 02:15 n'existe pas" in message


def test_a_time_lived_twice_in_autumn_must_state_its_offset(build_events, content_copy,
                                                            write_event):
    write_event("automne.md", at("2027-10-31 02:30", "2027-10-31 04:00"))
    message = build_error(build_events, content_copy)
    line = next(x for x in message.splitlines() if "events/automne.md" in x)
    assert "events/automne.md, ligne 2 : champ « start »" in line and "existe deux fois" in line
    assert "« 2027-10-31 02:30+02:00 »" in line and "« 2027-10-31 02:30+01:00 »" in line


def test_a_wrong_offset_is_refused(build_events, content_copy, write_event):
    write_event("decalage.md", at("2027-10-31 02:30+05:00", "2027-10-31 04:00"))
    message = build_error(build_events, content_copy)
    assert "le décalage +05:00 ne correspond pas" in message and "(+02:00 ou +01:00)" in message


@pytest.mark.parametrize("offset,utc_hour", [("+02:00", 0), ("+01:00", 1)])
def test_a_stated_offset_picks_one_of_the_two(build_events, content_copy, write_event,
                                              offset, utc_hour):
    write_event("automne.md", at(f"2027-10-31 02:30{offset}", "2027-10-31 04:00"))
    site = build_events(content=content_copy)
    _, event = the_event(site)
    assert event["DTSTART"].dt.astimezone(UTC) == dt.datetime(2027, 10, 31, utc_hour, 30,
                                                              tzinfo=UTC)
    html = site.html("/agenda/un-evenement-correct/")
    assert f'datetime="2027-10-31T02:30{offset}"' in html


def test_the_summer_rule_starts_at_two_local_time(build_events, content_copy, write_event):
    write_event("ete.md", at("2027-06-01 10:00", "2027-06-01 12:00"))
    site = build_events(content=content_copy)
    cal, _ = the_event(site)
    (zone,) = cal.walk("VTIMEZONE")
    summer = zone.walk("DAYLIGHT")
    winter = [c for c in zone.walk("STANDARD") if c["TZOFFSETFROM"].td != c["TZOFFSETTO"].td]
    assert len(summer) == 1 and len(winter) == 1
    assert summer[0]["DTSTART"].dt == dt.datetime(2027, 3, 28, 2, 0)
    assert summer[0]["TZOFFSETFROM"].td == dt.timedelta(hours=1)
    assert summer[0]["TZOFFSETTO"].td == dt.timedelta(hours=2)
    assert winter[0]["DTSTART"].dt == dt.datetime(2027, 10, 31, 3, 0)
    assert [d.dt for r in [summer[0]["RDATE"]] for d in r.dts] == [dt.datetime(2028, 3, 26, 2, 0)]
    # Every onset is 01:00 UTC, read with the offset before the change (RFC 5545 3.6.5).
    for observance in [*summer, *winter]:
        onset = observance["DTSTART"].dt - observance["TZOFFSETFROM"].td
        assert onset.time() == dt.time(1, 0)
