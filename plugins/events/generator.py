"""The events generator: reads content/events/, writes event pages, the
agenda (upcoming and past), and the iCalendar files.

"Today" (what is upcoming, what is past) is the build date in Europe/Paris,
unless the ``EVENTS_TODAY`` setting or environment variable fixes it
(``2026-11-26`` or ``2026-11-26 14:00``) for reproducible builds and tests.
An event stays upcoming until its end has passed; with a date alone, "now"
is the start of that day, so an event of that day is still listed.

Comments on an event close by themselves ``EVENTS_COMMENTS_CLOSE_AFTER``
days after it ends (an integer; None: never): the event's ``comments``
metadata becomes ``closed``, which the comments plugin reads like an editor's
``Comments: closed`` (the threads manifest then says ``open: false``, the page
shows the comments already published and no form).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from zoneinfo import ZoneInfo

from babel.dates import format_date
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from pelican.utils import sanitised_join

from editorial import FieldError, parse_strict_date, record_problem
from sitekit.dates import date_fr
from sitekit.share import share_image

from . import ical
from .model import Event, parse_event_fields

logger = logging.getLogger(__name__)

DEFAULTS = {
    "EVENT_PATHS": ["events"],
    "EVENT_EXCLUDES": [],
    "EVENT_URL": "agenda/{slug}/",
    "EVENT_SAVE_AS": "agenda/{slug}/index.html",
    "DRAFT_EVENT_URL": "brouillons/agenda/{slug}/",
    "DRAFT_EVENT_SAVE_AS": "brouillons/agenda/{slug}/index.html",
    "EVENTS_AGENDA_URL": "agenda/",
    "EVENTS_AGENDA_SAVE_AS": "agenda/index.html",
    "EVENTS_PAST_URL": "agenda/passes/",
    "EVENTS_PAST_SAVE_AS": "agenda/passes/index.html",
    "EVENTS_FEED_URL": "agenda/agenda.ics",
    "EVENTS_FEED_SAVE_AS": "agenda/agenda.ics",
    "EVENTS_CALENDAR_NAME": "Agenda du Département du Val-d'Oise",
    "EVENTS_HOME_COUNT": 3,
    "EVENTS_TODAY": None,
    "EVENTS_COMMENTS_CLOSE_AFTER": 30,
    "EVENTS_PUBLISHED_OUTPUT": None,
}


def events_now(settings, tz: dt.tzinfo) -> dt.datetime:
    """The instant that splits upcoming from past events."""
    value = settings.get("EVENTS_TODAY") or os.environ.get("EVENTS_TODAY") or None
    if value is None:
        return dt.datetime.combine(dt.datetime.now(tz).date(), dt.time(), tz)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tz)
    try:
        return parse_strict_date(str(value), "EVENTS_TODAY").replace(tzinfo=tz)
    except FieldError as exc:
        raise ValueError(f"EVENTS_TODAY: {exc}") from None


def new_and_past(events, settings) -> list:
    """Published events already over (``is_past``) that are new: the output
    of the last build or release (``EVENTS_PUBLISHED_OUTPUT``, set by
    ``make html``, the publisher and ``python -m release``) has no page at
    their address. None when that folder holds no agenda page (no build of
    this site: a first build), nor for an event marked ``Past: yes`` (a
    report published after the event)."""
    folder = settings.get("EVENTS_PUBLISHED_OUTPUT")
    if not folder or not os.path.isfile(os.path.join(folder,
                                                     settings["EVENTS_AGENDA_SAVE_AS"])):
        return []
    return [e for e in events if e.is_past
            and str(e.metadata.get("past", "")).strip().lower() not in ("yes", "oui")
            and not os.path.exists(os.path.join(folder, e.save_as))]


def close_comments(events, now: dt.datetime, days) -> None:
    """Close comments on events that ended more than ``days`` days before ``now``."""
    if days is None:
        return
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError("EVENTS_COMMENTS_CLOSE_AFTER: a number of days (0 or more), or None")
    for event in events:
        if event.ends_at + dt.timedelta(days=days) <= now:
            event.metadata["comments"] = "closed"


def month_groups(events, key):
    """[(label « juin 2014 », "2014-06", [events…]), …] in the events' order."""
    groups = []
    for event in events:
        day = key(event)
        month = f"{day.year:04d}-{day.month:02d}"
        if not groups or groups[-1][1] != month:
            groups.append((format_date(day, "LLLL y", locale="fr_FR"), month, []))
        groups[-1][2].append(event)
    return groups


class EventsGenerator(Generator):
    """Pelican generator for events. After ``generate_context``:

    * ``events``: published events, soonest first (also in the template
      context, with ``upcoming_events`` and ``past_events``);
    * ``hidden_events``, ``draft_events``;
    * ``editorial_contents``: all of them, for the editorial collision checks.
    """

    def __init__(self, *args, **kwargs):
        self.events: list[Event] = []
        self.hidden_events: list[Event] = []
        self.draft_events: list[Event] = []
        self.upcoming_events: list[Event] = []
        self.past_events: list[Event] = []
        self.editorial_contents: list[Event] = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Paris")
        reserved = {self.settings["EVENTS_AGENDA_SAVE_AS"], self.settings["EVENTS_PAST_SAVE_AS"],
                    self.settings["EVENTS_FEED_SAVE_AS"]}
        for f in sorted(self.get_files(self.settings["EVENT_PATHS"],
                                       exclude=self.settings["EVENT_EXCLUDES"])):
            try:
                event = self.readers.read_file(
                    base_path=self.path, path=f, content_class=Event, context=self.context)
            except Exception as exc:
                logger.error("Could not process %s: %s", f, exc)
                self._report_event_fields_of_unreadable(f, tz)
                self._add_failed_source_path(f)
                continue
            problems = list(event.problems)
            if event.save_as in reserved:
                problems.append(("slug", f"l'identifiant « {event.slug} » est réservé à l'agenda ; "
                                 "changez le titre ou ajoutez une ligne « Slug: » différente"))
            if problems or not event.is_valid():
                for field, message in problems:
                    record_problem(self.settings, event.source_path, field, message)
                self._add_failed_source_path(f)
                continue
            {"published": self.events, "hidden": self.hidden_events,
             "draft": self.draft_events}[event.status].append(event)
            self.add_source_path(event)
            self.add_static_links(event)

        def order(event):
            return (event.start, event.ends_at, event.slug)

        self.events.sort(key=order)
        self.hidden_events.sort(key=order)
        self.draft_events.sort(key=order)
        self.editorial_contents = [*self.events, *self.hidden_events, *self.draft_events]
        for event in self.editorial_contents:  # Image: as for articles (plugins/seo)
            event.og_image, problem = share_image(self.settings, event.metadata.get("image"))
            if problem:
                record_problem(self.settings, event.source_path, "image", problem)

        now = events_now(self.settings, tz)
        self.today = now.date()
        for event in self.events:
            event.is_past = event.ends_at <= now
        for event in [*self.hidden_events, *self.draft_events]:
            event.is_past = event.ends_at <= now
        for event in new_and_past(self.events, self.settings):
            record_problem(self.settings, event.source_path, "end" if event.end else "start",
                           f"cet événement est déjà terminé (le {date_fr(event.last_day)}) "
                           "et n'a jamais été publié : vérifiez l'année et le mois ; pour "
                           "publier quand même un événement passé (un compte rendu), ajoutez "
                           "la ligne « Past: yes »")
        close_comments(self.editorial_contents, now,
                       self.settings.get("EVENTS_COMMENTS_CLOSE_AFTER"))
        self.upcoming_events = [e for e in self.events if not e.is_past]
        self.past_events = sorted((e for e in self.events if e.is_past),
                                  key=lambda e: (e.start, e.ends_at, e.slug), reverse=True)
        self.context["events"] = self.events
        self.context["upcoming_events"] = self.upcoming_events
        self.context["past_events"] = self.past_events
        self.context["events_today"] = self.today

    def _report_event_fields_of_unreadable(self, f, tz):
        """The editorial reader refused the file (unknown field, no title…):
        check the event fields too, so that one build lists every problem."""
        path = os.path.join(self.path, f)
        if not path.endswith(tuple(f".{ext}" for ext in MarkdownReader.file_extensions)):
            return
        try:
            _, metadata = MarkdownReader(self.settings).read(path)
        except Exception:
            return
        for field, message in parse_event_fields(metadata, tz)[1]:
            record_problem(self.settings, path, field, message)

    # -- output ----------------------------------------------------------

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        template = self.get_template("event")
        for event in [*self.events, *self.hidden_events, *self.draft_events]:
            # `page` lets pelican-sitemap list the page (it skips non-published).
            writer.write_file(event.save_as, template, self.context, event=event,
                              page=event, relative_urls=relative, url=event.url)
            self._write_calendar(event.ics_save_as, [event])

        today = self.today
        upcoming_groups = month_groups(self.upcoming_events,
                                       key=lambda e: max(e.first_day, today))
        past_groups = month_groups(self.past_events, key=lambda e: e.first_day)
        writer.write_file(self.settings["EVENTS_AGENDA_SAVE_AS"], self.get_template("agenda"),
                          self.context, agenda_groups=upcoming_groups,
                          relative_urls=relative, url=self.settings["EVENTS_AGENDA_URL"])
        writer.write_file(self.settings["EVENTS_PAST_SAVE_AS"], self.get_template("agenda_past"),
                          self.context, agenda_groups=past_groups,
                          relative_urls=relative, url=self.settings["EVENTS_PAST_URL"])
        self._write_calendar(self.settings["EVENTS_FEED_SAVE_AS"], self.events,
                             name=self.settings["EVENTS_CALENDAR_NAME"])

    def _write_calendar(self, save_as, events, name=None):
        path = sanitised_join(self.output_path, save_as)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(ical.calendar(events, self.settings, name=name).to_ical())
        logger.info('Writing "%s"', path)
