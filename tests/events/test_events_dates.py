"""Pure functions: French date ranges, field parsing, "today", safe JSON."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from events.dates import event_range_segments, format_event_range
from events.generator import events_now, month_groups
from events.model import parse_event_fields, parse_price
from sitekit import script_safe_json
from events_testlib import squash

PARIS = ZoneInfo("Europe/Paris")
D, T = dt.date, dt.datetime
NBSP = "\u00a0"


@pytest.mark.parametrize("start,end,all_day,expected", [
    # single day, timed
    (T(2014, 6, 12, 9), T(2014, 6, 12, 17), False, "jeudi 12 juin 2014, de 9 h à 17 h"),
    (T(2014, 6, 12, 9, 30), T(2014, 6, 12, 12, 15), False,
     "jeudi 12 juin 2014, de 9 h 30 à 12 h 15"),
    (T(2014, 6, 12, 18), None, False, "jeudi 12 juin 2014 à 18 h"),
    # multi-day, timed
    (T(2014, 6, 12, 18), T(2014, 6, 14, 12), False,
     "du jeudi 12 juin 2014 à 18 h au samedi 14 juin 2014 à 12 h"),
    (T(2014, 12, 31, 20), T(2015, 1, 1, 2), False,
     "du mercredi 31 décembre 2014 à 20 h au jeudi 1er janvier 2015 à 2 h"),
    # all-day
    (D(2014, 6, 12), None, True, "jeudi 12 juin 2014"),
    (D(2014, 6, 12), D(2014, 6, 12), True, "jeudi 12 juin 2014"),
    (D(2014, 6, 12), D(2014, 6, 14), True, "du 12 au 14 juin 2014"),
    (D(2014, 6, 1), D(2014, 6, 3), True, "du 1er au 3 juin 2014"),
    (D(2014, 6, 30), D(2014, 7, 2), True, "du 30 juin au 2 juillet 2014"),
    (D(2014, 6, 12), D(2014, 10, 31), True, "du 12 juin au 31 octobre 2014"),
    (D(2014, 12, 30), D(2015, 1, 2), True, "du 30 décembre 2014 au 2 janvier 2015"),
])
def test_french_date_ranges(start, end, all_day, expected):
    text = format_event_range(start, end, all_day)
    assert squash(text) == expected
    assert " h" not in text, "hours take a non-breaking space (9\u00a0h)"


def test_hours_use_non_breaking_spaces():
    text = format_event_range(T(2014, 6, 12, 9), T(2014, 6, 12, 17, 30))
    assert text.endswith(f"de 9{NBSP}h à 17{NBSP}h{NBSP}30")


def test_segments_carry_machine_readable_values():
    start = T(2014, 6, 12, 9, tzinfo=PARIS)
    end = T(2014, 6, 12, 17, tzinfo=PARIS)
    machine = [m for _, m in event_range_segments(start, end) if m]
    assert machine == ["2014-06-12T09:00+02:00", "2014-06-12T17:00+02:00"]
    machine = [m for _, m in event_range_segments(D(2014, 6, 30), D(2014, 7, 2), True) if m]
    assert machine == ["2014-06-30", "2014-07-02"]
    winter = T(2027, 1, 15, 18, tzinfo=PARIS)
    assert event_range_segments(winter)[0][1] == "2027-01-15T18:00+01:00"


def test_all_day_fields_give_inclusive_days_and_exclusive_end():
    values, problems = parse_event_fields(
        {"start": "2014-06-12", "end": "2014-06-14", "location": "Cergy"}, PARIS)
    assert problems == []
    assert values["all_day"] is True
    assert (values["first_day"], values["last_day"]) == (D(2014, 6, 12), D(2014, 6, 14))
    assert values["ends_at"] == T(2014, 6, 15, tzinfo=PARIS)


def test_timed_fields_are_local_paris_time():
    values, problems = parse_event_fields(
        {"start": "2014-06-12 09:00", "end": "2014-06-12 17:00", "location": "Cergy"}, PARIS)
    assert problems == []
    assert values["all_day"] is False
    assert values["start"].utcoffset() == dt.timedelta(hours=2)
    assert values["start"].astimezone(dt.timezone.utc).hour == 7
    assert values["ends_at"] == values["end"]


@pytest.mark.parametrize("meta,field,words", [
    ({}, "start", "obligatoire"),
    ({"start": "12/06/2014"}, "start", "AAAA-MM-JJ"),
    ({"start": "2014-02-30"}, "start", "n'existe pas"),
    ({"start": "2014-06-12 18:00", "end": "2014-06-12 09:00"}, "end", "avant le début"),
    ({"start": "2014-06-14", "end": "2014-06-12"}, "end", "avant le début"),
    ({"start": "2014-06-12", "end": "2014-06-12 18:00"}, "end", "même forme"),
    ({"start": "2014-06-12", "price": "cinq euros"}, "price", "gratuit"),
    ({"start": "2014-06-12", "registration": "www.example.org"}, "registration", "https://"),
    ({"start": "2014-06-12", "registration": "javascript:alert(1)"}, "registration", "https://"),
])
def test_bad_fields_are_reported_with_their_field(meta, field, words):
    meta = {"location": "Cergy", **meta}
    _, problems = parse_event_fields(meta, PARIS)
    assert [f for f, _ in problems] == [field]
    assert words in problems[0][1]


def test_missing_location_is_reported():
    _, problems = parse_event_fields({"start": "2014-06-12"}, PARIS)
    assert [f for f, _ in problems] == ["location"]


@pytest.mark.parametrize("raw,display,amount", [
    ("gratuit", "Gratuit", "0"), ("Gratuit", "Gratuit", "0"), ("entrée libre", "Gratuit", "0"),
    ("5 €", f"5{NBSP}€", "5"), ("5", f"5{NBSP}€", "5"), ("12,50 €", f"12,50{NBSP}€", "12.50"),
    ("12.5 euros", f"12,50{NBSP}€", "12.50"),
])
def test_prices(raw, display, amount):
    assert parse_price(raw) == (display, amount)


def test_today_from_setting_environment_or_clock(monkeypatch):
    monkeypatch.delenv("EVENTS_TODAY", raising=False)
    assert events_now({"EVENTS_TODAY": "2026-11-26"}, PARIS) == T(2026, 11, 26, tzinfo=PARIS)
    assert events_now({"EVENTS_TODAY": "2026-11-26 14:30"}, PARIS) == \
        T(2026, 11, 26, 14, 30, tzinfo=PARIS)
    assert events_now({"EVENTS_TODAY": D(2014, 6, 12)}, PARIS) == T(2014, 6, 12, tzinfo=PARIS)
    monkeypatch.setenv("EVENTS_TODAY", "2014-06-13")
    assert events_now({"EVENTS_TODAY": None}, PARIS) == T(2014, 6, 13, tzinfo=PARIS)
    monkeypatch.delenv("EVENTS_TODAY")
    assert events_now({}, PARIS).date() == dt.datetime.now(PARIS).date()
    with pytest.raises(ValueError):
        events_now({"EVENTS_TODAY": "26/11/2026"}, PARIS)


def test_month_groups_follow_the_given_order():
    class E:
        def __init__(self, day):
            self.first_day = day

    events = [E(D(2014, 6, 12)), E(D(2014, 6, 30)), E(D(2014, 7, 1)), E(D(2015, 7, 1))]
    groups = month_groups(events, key=lambda e: e.first_day)
    assert [(label, month, len(items)) for label, month, items in groups] == [
        ("juin 2014", "2014-06", 2), ("juillet 2014", "2014-07", 1),
        ("juillet 2015", "2015-07", 1)]


def test_json_for_a_script_element_cannot_close_it():
    data = {"name": "</script><script>alert('x')</script> & <!--", "line": "a\u2028b"}
    text = script_safe_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == data
