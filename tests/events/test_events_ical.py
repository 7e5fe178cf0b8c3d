"""Every generated .ics parsed back with icalendar: times, zones, UIDs."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from events_testlib import GOOD_EVENT, event_url, parse_local
from typography import french_text

PARIS = ZoneInfo("Europe/Paris")


def calendars(site):
    return {p.relative_to(site.output).as_posix(): p
            for p in sorted((site.output / "agenda").rglob("*.ics"))}


def parse(path):
    return Calendar.from_ical(path.read_bytes())


def events_of(cal):
    return [c for c in cal.walk("VEVENT")]


def test_one_ics_per_event_and_a_feed(site, event_sources):
    files = calendars(site)
    expected = {f"{event_url(m).strip('/')}/{event_url(m).strip('/').split('/')[-1]}.ics"
                for m in event_sources.values()}
    assert set(files) == expected | {"agenda/agenda.ics"}
    for name, path in files.items():
        cal = parse(path)
        assert cal["VERSION"] == "2.0"
        assert "Val-d'Oise" in str(cal["PRODID"])
        assert len(events_of(cal)) == (len(event_sources) if name == "agenda/agenda.ics" else 1)


def test_times_zones_and_all_day_dates_match_the_sources(site, event_sources):
    host = urlparse(site.settings["SITE_ABSOLUTE_URL"]).hostname
    for meta in event_sources.values():
        slug = event_url(meta).strip("/").split("/")[-1]
        path = site.output / "agenda" / slug / f"{slug}.ics"
        raw = path.read_bytes().decode("utf-8")
        assert raw.endswith("END:VCALENDAR\r\n"), "CRLF line endings"
        cal = parse(path)
        (event,) = events_of(cal)
        assert str(event["UID"]) == f"{slug}@{host}"
        assert str(event["SUMMARY"]) == french_text(meta["title"])
        assert str(event["URL"]) == site.settings["SITE_ABSOLUTE_URL"] + event_url(meta)
        assert str(event["LOCATION"]).startswith(meta["location"])
        assert "<" not in str(event["DESCRIPTION"]), "plain text, no HTML"
        assert isinstance(event["DTSTAMP"].dt, dt.datetime)
        start = parse_local(meta["start"])
        end = parse_local(meta["end"]) if meta.get("end") else None
        if isinstance(start, dt.datetime):
            assert event["DTSTART"].dt == start.replace(tzinfo=PARIS)
            assert event["DTSTART"].params["TZID"] == "Europe/Paris"
            assert re.search(r"^DTSTART;TZID=Europe/Paris:\d{8}T\d{6}\r$", raw, re.M)
            if end:
                assert event["DTEND"].dt == end.replace(tzinfo=PARIS)
                assert event["DTEND"].params["TZID"] == "Europe/Paris"
            zones = [tz for tz in cal.walk("VTIMEZONE")]
            assert [str(tz["TZID"]) for tz in zones] == ["Europe/Paris"]
            assert cal.get_missing_tzids() == set()
        else:
            assert type(event["DTSTART"].dt) is dt.date and event["DTSTART"].dt == start
            last = end or start
            assert type(event["DTEND"].dt) is dt.date
            assert event["DTEND"].dt == last + dt.timedelta(days=1), "DTEND is exclusive"
            assert "DTSTART;VALUE=DATE:" in raw


def test_the_feed_is_named_and_carries_the_paris_time_zone(site, event_sources):
    cal = parse(site.output / "agenda" / "agenda.ics")
    assert str(cal["X-WR-CALNAME"]) == site.settings["EVENTS_CALENDAR_NAME"]
    zones = cal.walk("VTIMEZONE")
    assert len(zones) == 1 and str(zones[0]["TZID"]) == "Europe/Paris"
    timed = [e for e in events_of(cal) if isinstance(e["DTSTART"].dt, dt.datetime)]
    assert timed and all(e["DTSTART"].params["TZID"] == "Europe/Paris" for e in timed)
    # the zone is right: 9:00 in June is 7:00 UTC, 18:00 in January is 17:00 UTC
    utc_hours = {str(e["UID"]).split("@")[0]: e["DTSTART"].dt.astimezone(dt.timezone.utc).hour
                 for e in timed}
    assert utc_hours["colloque-futurs-composes-2014"] == 7
    assert utc_hours["voeux-du-departement-aux-habitants"] == 17
    uids = [str(e["UID"]) for e in events_of(cal)]
    assert len(set(uids)) == len(uids) == len(event_sources)


def test_ics_files_are_identical_across_builds_whatever_today(build_events):
    first = build_events(today="2014-06-01")
    second = build_events(today="2030-01-01")
    one, two = calendars(first), calendars(second)
    assert set(one) == set(two)
    for name in one:
        assert one[name].read_bytes() == two[name].read_bytes(), name
    uids = sorted(str(e["UID"]) for e in events_of(parse(one["agenda/agenda.ics"])))
    assert uids == sorted(str(e["UID"]) for e in events_of(parse(two["agenda/agenda.ics"])))


def test_dtstamp_is_the_modified_date_when_given(build_events, content_copy, write_event):
    write_event("modifie.md", GOOD_EVENT.replace("Title:", "Modified: 2014-02-20 10:00\nTitle:"))
    site = build_events(content=content_copy)
    (event,) = events_of(parse(site.output / "agenda" / "un-evenement-correct"
                               / "un-evenement-correct.ics"))
    assert event["DTSTAMP"].dt == dt.datetime(2014, 2, 20, 9, 0, tzinfo=dt.timezone.utc)
    assert event["LAST-MODIFIED"].dt == event["DTSTAMP"].dt


def test_special_characters_and_long_lines_survive(build_events, content_copy, write_event):
    title = "Débat ; « villes, campagnes » \\ et " + "très long titre " * 3
    write_event("special.md", GOOD_EVENT.replace("Un événement correct", title.strip()))
    site = build_events(content=content_copy)
    slug = event_url({"title": title.strip()}).strip("/").split("/")[-1]
    path = site.output / "agenda" / slug / f"{slug}.ics"
    raw = path.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "folded at 75 octets"
    assert b"\\;" in raw and b"\\," in raw
    (event,) = events_of(parse(path))
    # French typography (plugins/typography) applies to titles, in calendars too.
    assert str(event["SUMMARY"]) == french_text(title.strip())
    assert str(event["SUMMARY"]).startswith("Débat\u202f; «\u00a0villes, campagnes\u00a0»")


def test_production_build_uses_the_public_address(build_site):
    site = build_site(settings_file="publishconf.py", EVENTS_TODAY="2026-11-26")
    (event,) = events_of(parse(site.output / "agenda" / "colloque-futurs-composes-2014"
                               / "colloque-futurs-composes-2014.ics"))
    assert str(event["UID"]) == "colloque-futurs-composes-2014@www.valdoise.fr"
    assert str(event["URL"]) == "https://www.valdoise.fr/agenda/colloque-futurs-composes-2014/"


@pytest.mark.parametrize("today", ["2026-11-26"])
def test_description_is_plain_text_with_the_practical_details(site, today):
    (event,) = events_of(parse(site.output / "agenda" / "colloque-futurs-composes-2014"
                               / "colloque-futurs-composes-2014.ics"))
    text = str(event["DESCRIPTION"])
    assert "table ronde" in text and "SILK" in text
    assert "Lieu : Hôtel du Département, 2 avenue du Parc" in text
    assert "<li>" not in text and "<p>" not in text
