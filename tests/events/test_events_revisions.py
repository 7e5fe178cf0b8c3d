"""When an event changed (DTSTAMP, SEQUENCE), and comments closing after it ends."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from icalendar import Calendar

from comment_service.store import CommentStore
from events_testlib import GOOD_EVENT

UTC = dt.timezone.utc
SLUG = "un-evenement-correct"
ICS = f"agenda/{SLUG}/{SLUG}.ics"


def the_event(site):
    (event,) = Calendar.from_ical((site.output / ICS).read_bytes()).walk("VEVENT")
    return event


def with_modified(value: str | None) -> str:
    return GOOD_EVENT if value is None else GOOD_EVENT.replace("Title:", f"Modified: {value}\nTitle:")


def test_without_modified_dtstamp_is_the_files_time_not_the_start(
        build_events, content_copy, write_event, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    future = GOOD_EVENT.replace("2014-03-01", "2031-03-01")
    path = write_event("futur.md", future)
    stamp = dt.datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
    os.utime(path, (stamp.timestamp(), stamp.timestamp()))
    site = build_events(content=content_copy)
    event = the_event(site)
    assert event["DTSTAMP"].dt == stamp
    assert event["DTSTART"].dt.year == 2031
    assert "LAST-MODIFIED" not in event
    assert int(event["SEQUENCE"]) == 0


def test_source_date_epoch_bounds_the_files_time(build_events, content_copy, write_event,
                                                 monkeypatch):
    path = write_event("futur.md", GOOD_EVENT)
    os.utime(path, (2_000_000_000, 2_000_000_000))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    event = the_event(build_events(content=content_copy))
    assert event["DTSTAMP"].dt == dt.datetime.fromtimestamp(1_700_000_000, UTC)


def test_sequence_grows_with_modified_and_is_reproducible(build_events, content_copy,
                                                          write_event):
    sequences = []
    for modified in (None, "2014-02-20 10:00", "2014-02-20 10:01", "2014-02-27"):
        write_event("revisions.md", with_modified(modified))
        site = build_events(content=content_copy)
        sequences.append(int(the_event(site)["SEQUENCE"]))
        again = build_events(content=content_copy)
        assert (again.output / ICS).read_bytes() == (site.output / ICS).read_bytes()
    assert sequences[0] == 0
    assert sequences == sorted(set(sequences)), "each new Modified raises SEQUENCE"
    # whole minutes since 2000-01-01 UTC (10:00 in Paris in February is 09:00 UTC)
    first = dt.datetime(2014, 2, 20, 9, 0, tzinfo=UTC) - dt.datetime(2000, 1, 1, tzinfo=UTC)
    assert sequences[1] == first.total_seconds() // 60


# --- Comments close a while after the event ends -------------------------------------

def manifest(site) -> dict:
    return json.loads((site.output / "comment-threads.json").read_text("utf-8"))["threads"]


@pytest.fixture
def store_with_comment(tmp_path):
    store = CommentStore(tmp_path / "store")
    comment = store.add(SLUG, "Lectrice", "", "Merci pour cette journée.",
                        now=dt.datetime(2014, 3, 2, 9, tzinfo=UTC))
    store.move(comment.id, "approved")
    return store


@pytest.mark.parametrize("today,is_open", [
    ("2014-03-01", True), ("2014-03-31", True), ("2014-04-01", False), ("2026-11-26", False)])
def test_comments_close_thirty_days_after_the_end_by_default(
        build_events, content_copy, write_event, store_with_comment, today, is_open):
    write_event("correct.md", GOOD_EVENT)  # ends 2014-03-01 12:00
    site = build_events(content=content_copy, today=today,
                        COMMENTS_STORE=str(store_with_comment.root))
    assert manifest(site)[SLUG]["open"] is is_open
    soup = site.soup(f"/agenda/{SLUG}/")
    assert "Merci pour cette journée." in soup.select_one("#commentaires").get_text()
    assert bool(soup.select("#commentaires form")) is is_open
    assert bool(soup.select(".comments__closed")) is not is_open


@pytest.mark.parametrize("days,today,is_open", [
    (None, "2030-01-01", True), (0, "2014-03-01 12:00", False), (2, "2014-03-03", True)])
def test_the_delay_is_a_setting(build_events, content_copy, write_event, days, today, is_open):
    write_event("correct.md", GOOD_EVENT)
    site = build_events(content=content_copy, today=today, EVENTS_COMMENTS_CLOSE_AFTER=days)
    assert manifest(site)[SLUG]["open"] is is_open


def test_an_editors_closed_stays_closed(build_events, content_copy, write_event):
    write_event("correct.md", GOOD_EVENT.replace("Title:", "Comments: closed\nTitle:"))
    site = build_events(content=content_copy, today="2014-02-01")
    assert manifest(site)[SLUG]["open"] is False
