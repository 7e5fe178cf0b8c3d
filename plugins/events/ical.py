"""iCalendar files, written with the ``icalendar`` library (RFC 5545).

* UID: ``<slug>@<site host>`` — stable across builds as long as the slug is;
* DTSTAMP: the event's ``Modified`` date when given, otherwise its start —
  never "now", so that two builds of the same content give the same bytes;
* timed events: DTSTART/DTEND with ``TZID=Europe/Paris`` and the matching
  VTIMEZONE; all-day events: DATE values, DTEND the day after the last day
  (exclusive, as RFC 5545 wants).
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from icalendar import Event as VEvent

from sitekit import absolute_base

from .model import Event

UTC = dt.timezone.utc


def dtstamp(event: Event) -> dt.datetime:
    stamp = getattr(event, "modified", None) or event.start
    return stamp.astimezone(UTC)


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
        ("Tarif", event.price.replace("\u00a0", " ") if event.price else None),
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
    if event.all_day:
        component.add("dtstart", event.first_day)
        component.add("dtend", event.last_day + dt.timedelta(days=1))
    else:
        component.add("dtstart", event.start)
        if event.end is not None:
            component.add("dtend", event.end)
    if getattr(event, "modified", None):
        component.add("last-modified", event.modified.astimezone(UTC))
    component.add("summary", event.title)
    component.add("location", ", ".join(filter(None, [event.location, event.address])))
    component.add("url", event.absolute_url)
    component.add("description", description(event))
    component.add("status", "CONFIRMED")
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
    for event in events:
        cal.add_component(vevent(event))
    if events:
        # VTIMEZONE rules covering the events' years only (short, stable files).
        first = min(e.first_day for e in events).year
        last = max(e.last_day for e in events).year
        cal.add_missing_timezones(first_date=dt.date(first, 1, 1),
                                  last_date=dt.date(last + 2, 1, 1))
    return cal
