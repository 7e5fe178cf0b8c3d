"""iCalendar files, written with the ``icalendar`` library (RFC 5545).

* UID: ``<slug>@<site host>`` — stable across builds as long as the slug is;
* DTSTAMP: when the entry was last changed: its ``Modified`` date when given,
  otherwise the source file's modification time (clamped to
  ``SOURCE_DATE_EPOCH`` when that is set, the reproducible-builds convention);
  never "now" nor the start (a date in the future), so that two builds of the
  same files give the same bytes;
* SEQUENCE: the revision number calendars compare to replace an imported
  event. It comes from ``Modified`` alone (whole minutes since 2000-01-01
  UTC; 0 without it), so it is reproducible, and it grows each time an editor
  moves ``Modified`` forward, as the guide asks after any change (plus one
  for a cancelled or postponed event, STATUS then CANCELLED or TENTATIVE).
  A file's
  modification time is not used for it: a fresh checkout or a copy may give
  an older one, and a SEQUENCE that goes down makes clients ignore updates;
* timed events: DTSTART/DTEND with ``TZID=Europe/Paris`` and the matching
  VTIMEZONE (``vtimezone.py``: onsets in local time before the change, summer
  time from 02:00); the second 02:30 of the night clocks go back is written in
  UTC, the only unambiguous form; all-day events: DATE values, DTEND the day
  after the last day (exclusive, as RFC 5545 wants).
"""

from __future__ import annotations

import datetime as dt
import os

from icalendar import Calendar
from icalendar import Event as VEvent

from sitekit import absolute_base

from .localtime import candidates
from .model import Event
from .vtimezone import vtimezone

UTC = dt.timezone.utc
SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=UTC)


def file_time(path: str) -> dt.datetime:
    """A file's modification time (whole seconds, UTC), no later than SOURCE_DATE_EPOCH."""
    seconds = int(os.stat(path).st_mtime)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        seconds = min(seconds, int(epoch))
    return dt.datetime.fromtimestamp(seconds, UTC)


def dtstamp(event: Event) -> dt.datetime:
    modified = getattr(event, "modified", None)
    if modified is not None:
        return modified.astimezone(UTC)
    return file_time(event.source_path)


#: iCalendar STATUS and the word before the title, by Event.state. RFC 5545
#: has no "postponed": TENTATIVE (the date shown is no longer sure).
STATES = {"scheduled": ("CONFIRMED", ""), "cancelled": ("CANCELLED", "Annulé : "),
          "postponed": ("TENTATIVE", "Reporté : ")}


def sequence(event: Event) -> int:
    """From ``Modified``; one more when the event is cancelled or postponed,
    so that a calendar that imported it takes the change even if the editor
    did not move ``Modified`` forward."""
    modified = getattr(event, "modified", None)
    raised = 0 if event.state == "scheduled" else 1
    if modified is None:
        return raised
    return max(0, int((modified.astimezone(UTC) - SEQUENCE_EPOCH).total_seconds() // 60)) + raised


def _when(value: dt.datetime) -> dt.datetime:
    """A local time as is (with its TZID), except the second of a time that
    exists twice (clocks going back): in UTC, which cannot be misread."""
    naive = value.replace(tzinfo=None, fold=0)
    both = candidates(naive, value.tzinfo)
    if len(both) == 2 and value.utcoffset() != both[0].utcoffset():
        return value.astimezone(UTC)
    return value


def description(event: Event) -> str:
    lines = []
    if event.summary_text:
        lines.append(event.summary_text)
    if event.text and event.text != event.summary_text:
        lines.append(event.text)
    facts = [
        ("Quand", event.date_range.replace("\u00a0", " ")),
        ("Lieu", ", ".join(filter(None, [event.location, event.address]))),
        ("Organisateur", event.organizer),
        ("Tarif", " ; ".join(filter(None, [event.price and event.price.replace("\u00a0", " "),
                                          event.price_details])) or None),
        ("En ligne", event.online),
        ("Inscription", event.registration),
        ("Accessibilité", event.accessibility),
        ("Plus d'informations", event.absolute_url),
    ]
    lines.append("\n".join(f"{label} : {value}" for label, value in facts if value))
    return "\n\n".join(lines)


def vevent(event: Event) -> VEvent:
    component = VEvent()
    component.add("uid", event.uid)
    component.add("dtstamp", dtstamp(event))
    component.add("sequence", sequence(event))
    if event.all_day:
        component.add("dtstart", event.first_day)
        component.add("dtend", event.last_day + dt.timedelta(days=1))
    else:
        component.add("dtstart", _when(event.start))
        if event.end is not None:
            component.add("dtend", _when(event.end))
    if getattr(event, "modified", None):
        component.add("last-modified", event.modified.astimezone(UTC))
    status, prefix = STATES[event.state]
    component.add("summary", prefix + event.title)
    component.add("location", ", ".join(filter(None, [event.location, event.address]))
                  or event.online)
    component.add("url", event.absolute_url)
    component.add("description", description(event))
    component.add("status", status)
    component.add("transp", "TRANSPARENT" if event.all_day else "OPAQUE")
    return component


def calendar(events: list[Event], settings, name: str | None = None) -> Calendar:
    cal = Calendar()
    sitename = settings.get("SITENAME", "")
    cal.add("prodid", f"-//{sitename}//Agenda//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        # NAME (RFC 7986) and X-WR-CALNAME (what most clients read).
        cal.calendar_name = name
        cal.add("x-wr-timezone", settings.get("TIMEZONE") or "Europe/Paris")
        cal.add("url", f"{absolute_base(settings)}/{settings['EVENTS_AGENDA_URL']}")
        cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT12H")
    if any(not e.all_day for e in events):
        # VTIMEZONE rules covering the events' years only (short, stable files).
        first = min(e.first_day for e in events).year
        last = max(e.last_day for e in events).year
        cal.add_component(vtimezone(settings.get("TIMEZONE") or "Europe/Paris",
                                    dt.date(first, 1, 1), dt.date(last + 2, 1, 1)))
    for event in events:
        cal.add_component(vevent(event))
    return cal
