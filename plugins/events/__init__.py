"""Events: an agenda for the site (content/events/), with iCalendar files.

See ``generator.py`` (pages, agenda, "today"), ``model.py`` (fields and
checks), ``dates.py`` (French date ranges) and ``ical.py`` (iCalendar).
"""

from .dates import format_event_range
from .generator import EventsGenerator
from .model import EVENT_FIELDS, Event
from .plugin import register

__all__ = ["EVENT_FIELDS", "Event", "EventsGenerator", "format_event_range", "register"]
