"""The event content type: its fields, their checks, and the Event object.

Editors write events in ``content/events/*.md``::

    Title: Futurs Composés : l'innovation publique en actes
    Start: 2014-06-12 09:00
    End: 2014-06-12 17:00
    Location: Maison de l'Étudiant
    Address: 32 boulevard du Port, 95000 Cergy
    Registration: https://www.example.org/inscription
    Organizer: Conseil général du Val-d'Oise
    Price: gratuit
    Accessibility: Salle accessible en fauteuil roulant.

Every bad value is reported with its file and field (French messages, read
by editors); the build then stops (see the editorial plugin).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from pelican.contents import Content

from editorial import SLUG_RE, FieldError, parse_strict_date
from sitekit import absolute_base, html_to_text, script_safe_json

from .dates import event_range_segments, is_date_only, iso
from .localtime import local_instant, split_offset

# Metadata keys as Pelican gives them (lower case). "Comments" (open/closed)
# is checked by the editorial plugin and kept for the comments plugin.
EVENT_FIELDS = (
    "title", "slug", "summary", "status", "modified", "comments",
    "start", "end", "location", "address", "registration", "organizer",
    "price", "price_details", "accessibility", "online", "image", "image_alt", "past",
)
OPTIONAL_TEXT_FIELDS = ("address", "organizer", "accessibility", "price_details")

#: ``Status:`` values an event may take besides Pelican's (published, draft,
#: hidden), English or French, as written (case ignored): the event is then
#: published with that state (``Event.state``; otherwise "scheduled").
EVENT_STATES = {
    "cancelled": "cancelled", "canceled": "cancelled", "annulé": "cancelled",
    "annule": "cancelled",
    "postponed": "postponed", "reporté": "postponed", "reporte": "postponed",
}

# Plausibility (docs/guide-redaction.md, « Les champs de l'en-tête »).
MAX_TIMED_DAYS = 4  # a longer event with hours is a typo, or days written with hours
MAX_SPAN_DAYS = 366  # an event (even all-day) ending more than a year after it starts

FREE_WORDS = ("gratuit", "gratuite", "entrée libre")
AMOUNT_RE = re.compile(r"^(?P<units>\d{1,5})(?:[,.](?P<cents>\d{1,2}))?\s*(?:€|euros?|eur)?$",
                       re.IGNORECASE)

HELP = {
    "start": "ajoutez une ligne « Start: 2014-06-12 09:00 » (ou « Start: 2014-06-12 » "
             "pour un événement sur toute la journée)",
    "location": "ajoutez une ligne « Location: » avec le nom du lieu "
                "(par exemple « Location: Abbaye de Maubuisson »)",
}


def _text(value) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_price(value: str) -> tuple[str, str]:
    """(French display, schema.org price) from « gratuit » or an amount in euros."""
    if value.strip().lower() in FREE_WORDS:
        return "Gratuit", "0"
    match = AMOUNT_RE.match(value.strip())
    if not match:
        raise FieldError(
            "price",
            f"tarif « {value} » illisible ; écrivez « gratuit » ou un montant en euros "
            "(par exemple « 5 € » ou « 12,50 € »)",
        )
    units = int(match["units"])
    cents = int((match["cents"] or "0").ljust(2, "0"))
    if cents:
        return f"{units},{cents:02d}\u00a0€", f"{units}.{cents:02d}"
    return f"{units}\u00a0€", str(units)


def check_url(value: str, field: str) -> str:
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value.strip():
        raise FieldError(
            field,
            f"adresse « {value} » invalide ; donnez une adresse web complète qui commence "
            "par https:// (ou http://)",
        )
    return value.strip()


def _read_moment(raw: str | None, field: str, tz: dt.tzinfo, problems: list):
    """(value, all_day) of Start or End: a date at midnight (naive: a day, not an
    instant) or the aware instant of a local time; (None, None) if absent or wrong."""
    if raw is None:
        return None, None
    text, offset = split_offset(raw)
    try:
        value = parse_strict_date(text, field)  # refuses an implausible year (editorial.fields.YEARS)
        if is_date_only(text):
            return value, True
        return local_instant(value, tz, field, raw, offset), False
    except FieldError as exc:
        problems.append((exc.field, exc.message))
    return None, None


def parse_event_fields(metadata: dict, tz: dt.tzinfo) -> tuple[dict, list[tuple[str, str]]]:
    """Read the event fields of one file's metadata.

    Returns the values to set on the Event, and every problem found as
    (field, French message). Pure: no Pelican, no global state.
    """
    problems: list[tuple[str, str]] = []
    values: dict = {
        "all_day": False, "start": None, "end": None, "first_day": None,
        "last_day": None, "ends_at": None, "price": None, "price_value": None,
        "is_free": False, "registration": None, "location": None,
    }
    for name in OPTIONAL_TEXT_FIELDS:
        values[name] = _text(metadata.get(name))

    raw_start = _text(metadata.get("start"))
    raw_end = _text(metadata.get("end"))
    if raw_start is None:
        problems.append(("start", "obligatoire, mais absent ou vide ; " + HELP["start"]))
    start, start_all_day = _read_moment(raw_start, "start", tz, problems)
    end, end_all_day = _read_moment(raw_end, "end", tz, problems)

    if start is not None and end is not None:
        if start_all_day != end_all_day:
            problems.append((
                "end",
                f"« {raw_end} » et le début « {raw_start} » doivent être de même forme : "
                "deux dates seules (événement sur des journées entières) ou deux dates "
                "avec l'heure",
            ))
            end = None
        elif end < start or (end == start and not start_all_day):
            problems.append((
                "end",
                f"la fin « {raw_end} » est avant le début « {raw_start} » "
                "(ou à la même heure) ; vérifiez les deux dates",
            ))
            end = None
        elif (end - start).days > MAX_SPAN_DAYS:
            problems.append((
                "end",
                f"la fin « {raw_end} » est plus d'un an après le début « {raw_start} » ; "
                "vérifiez l'année de la fin",
            ))
            end = None
        elif not start_all_day and end - start > dt.timedelta(days=MAX_TIMED_DAYS):
            days = (end - start).days
            problems.append((
                "end",
                f"un événement avec des heures qui dure {days} jours (« {raw_start} » – "
                f"« {raw_end} ») ; vérifiez les dates, ou, pour plusieurs journées, "
                "écrivez Start et End sans heure (par exemple « Start: 2026-12-05 » et "
                "« End: 2026-12-20 ») et les horaires dans le texte",
            ))
            end = None

    if start is not None:
        if start_all_day:
            first = start.date()
            last = end.date() if end is not None else first
            values.update(
                all_day=True,
                start=dt.datetime.combine(first, dt.time(), tz),
                end=dt.datetime.combine(last, dt.time(), tz) if end is not None else None,
                ends_at=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tz),
                first_day=first, last_day=last,
            )
        else:
            values.update(
                start=start, end=end, ends_at=end or start,
                first_day=start.date(), last_day=(end or start).date(),
            )

    raw_online = _text(metadata.get("online"))
    values["online"] = None
    if raw_online is not None:
        try:
            values["online"] = check_url(raw_online, "online")
        except FieldError as exc:
            problems.append((exc.field, exc.message))

    location = _text(metadata.get("location"))
    if location is None and raw_online is None:
        problems.append(("location", "obligatoire, mais absent ou vide ; " + HELP["location"]
                         + " ; pour un événement en ligne, une ligne « Online: » avec "
                         "l'adresse de la visio"))
    values["location"] = location

    raw_price = _text(metadata.get("price"))
    if raw_price is not None:
        try:
            display, amount = parse_price(raw_price)
            values.update(price=display, price_value=amount, is_free=amount == "0")
        except FieldError as exc:
            problems.append((exc.field, exc.message))

    raw_registration = _text(metadata.get("registration"))
    if raw_registration is not None:
        try:
            values["registration"] = check_url(raw_registration, "registration")
        except FieldError as exc:
            problems.append((exc.field, exc.message))
    return values, problems


class Event(Content):
    """One event. Besides Pelican's Content attributes (title, slug, url,
    save_as, source_path, metadata, content, summary, status):

    * ``all_day``; ``start`` and ``end`` (aware datetimes, Europe/Paris; ``end``
      is None when not given; for all-day events both are at midnight, ``end``
      on the last day); ``first_day``/``last_day`` (dates, inclusive);
      ``ends_at``: the instant the event is over;
    * ``location``, ``address``, ``registration``, ``organizer``,
      ``accessibility``, ``price_details`` (text or None); ``online`` (the
      visio address, or None); ``price`` (« Gratuit », « 5 € » or None);
    * ``state``: "scheduled", "cancelled" or "postponed" (``Status:``,
      EVENT_STATES); ``og_image``: the share image's address (plugins/seo);
    * ``problems``: the editorial problems found in the metadata.
    """

    mandatory_properties = ("title",)
    allowed_statuses = ("published", "hidden", "draft")
    default_status = "published"
    default_template = "event"

    def __init__(self, content, metadata=None, settings=None, source_path=None,
                 context=None):
        metadata = dict(metadata or {})
        # Pelican reads a date from "2014-06-12-…" file names: meaningless here.
        metadata.pop("date", None)
        # « Status: annulé »: a published event, in that state (EVENT_STATES).
        state = EVENT_STATES.get(str(metadata.get("status", "")).strip().lower())
        if state is not None:
            metadata["status"] = "published"
        super().__init__(content, metadata, settings, source_path, context)
        self.state = state or "scheduled"
        tz = ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Paris")
        values, self.problems = parse_event_fields(self.metadata, tz)
        for name, value in values.items():
            setattr(self, name, value)
        slug = getattr(self, "slug", None)
        if slug is not None and "slug" not in self.metadata and not SLUG_RE.match(slug):
            self.problems.append((
                "title",
                f"le titre donne l'identifiant d'URL « {slug} », qui n'est pas valide ; "
                "ajoutez une ligne « Slug: » plus courte (120 caractères au plus : lettres "
                "minuscules sans accent, chiffres, tirets)",
            ))

    def _expand_settings(self, key, klass=None):
        klass = "draft_event" if self.status == "draft" else "event"
        return super()._expand_settings(key, klass)

    # -- derived values for templates, iCalendar and structured data ---------

    @property
    def date_segments(self):
        end = self.last_day if self.all_day else self.end
        start = self.first_day if self.all_day else self.start
        if self.all_day and self.last_day == self.first_day:
            end = None
        return event_range_segments(start, end, self.all_day)

    @property
    def date_range(self) -> str:
        return "".join(text for text, _ in self.date_segments)

    @property
    def start_iso(self) -> str:
        return iso(self.first_day if self.all_day else self.start)

    @property
    def end_iso(self) -> str | None:
        if self.all_day:
            return iso(self.last_day)
        return iso(self.end) if self.end is not None else None

    @property
    def ics_save_as(self) -> str:
        folder = self.save_as.rsplit("/", 1)[0] if "/" in self.save_as else ""
        return f"{folder}/{self.slug}.ics" if folder else f"{self.slug}.ics"

    @property
    def ics_url(self) -> str:
        return self.ics_save_as

    @property
    def absolute_url(self) -> str:
        return f"{absolute_base(self.settings)}/{self.url}"

    @property
    def uid(self) -> str:
        """Stable across builds: the slug and the site's host name."""
        host = urlparse(absolute_base(self.settings)).hostname or "localhost"
        return f"{self.slug}@{host}"

    @property
    def summary_text(self) -> str:
        return html_to_text(self.summary)

    @property
    def text(self) -> str:
        return html_to_text(self.content)

    @property
    def jsonld(self) -> str:
        """schema.org Event, safe to put inside <script type="application/ld+json">."""
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "startDate": self.start_iso,
        }
        if self.end_iso is not None:
            data["endDate"] = self.end_iso
        data["eventStatus"] = "https://schema.org/" + {
            "cancelled": "EventCancelled", "postponed": "EventPostponed"}.get(
            self.state, "EventScheduled")
        mode = ("MixedEventAttendanceMode" if self.online and self.location
                else "OnlineEventAttendanceMode" if self.online
                else "OfflineEventAttendanceMode")
        data["eventAttendanceMode"] = "https://schema.org/" + mode
        places = []
        if self.location:
            place = {"@type": "Place", "name": self.location}
            if self.address:
                place["address"] = self.address
            places.append(place)
        if self.online:
            places.append({"@type": "VirtualLocation", "url": self.online})
        data["location"] = places[0] if len(places) == 1 else places
        if getattr(self, "og_image", None):
            data["image"] = [self.og_image]
        if self.summary_text:
            data["description"] = self.summary_text
        data["url"] = self.absolute_url
        if self.organizer:
            data["organizer"] = {"@type": "Organization", "name": self.organizer}
        if self.price is not None:
            offer = {"@type": "Offer", "price": self.price_value, "priceCurrency": "EUR"}
            if self.registration:
                offer["url"] = self.registration
            data["offers"] = offer
            data["isAccessibleForFree"] = self.is_free
        return script_safe_json(data)
