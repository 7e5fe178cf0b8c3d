"""Unpublishing on time: a content with ``Expire: 2027-01-31 18:00`` leaves
the site at that moment.

Editors write ``Expire:`` or its French synonym ``Expiration:`` (one of the
two) on an article, a page or an event, with a date as ``Date:`` takes it
(``AAAA-MM-JJ`` or ``AAAA-MM-JJ HH:MM``, the site's TIMEZONE). From that
moment the content is not built at all: no page, no listing, feed, sitemap,
search index, calendar or threads manifest entry; its address then answers
410 Gone with the site's « Page retirée » page (docs/guide-redaction.md):
for each expired content the build writes an empty marker file
``.gone/<its output path>.410`` in its output (not an HTML page: no check
or index reads it) (``write_gone``), which nginx
tests when a path has no file (deploy/nginx/site.conf.in, ``@gone``); the
folder is hidden (nginx answers 404 for dotted paths) and follows the
release it belongs to (no reload). The clock is plugins/schedule's
(``sitekit.clock``: ``SCHEDULE_NOW``, setting or environment, else the
build's own clock).

The long-running publisher rebuilds at the next expiry as it does at the
next scheduled date (``upcoming``: the expiries still to come, earliest
first; ``publisher/build.py``).

Checks (French, the editorial report's form): an unreadable date; both
fields at once; an expiry before the article's date; and a link from a
content that stays online to one that expires earlier (the link would break
at that moment, and the automatic rebuild would be refused).

Listed before ``editorial`` in PLUGINS: its ``all_generators_finalized``
receiver records its problems before editorial's reports them, and removes
expired events before the other plugins list them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from pelican import signals

from sitekit.gone import GONE_FOLDER, GONE_SUFFIX  # the markers: one empty file per expired output path

logger = logging.getLogger(__name__)

FIELDS = ("expire", "expiration")
#: In a build's settings: [(moment, source_path, title)] of the expiries to come.
UPCOMING_KEY = "_EXPIRY_UPCOMING"
#: In a build's settings: the output paths (save_as) of the expired contents.
EXPIRED_KEY = "_EXPIRY_GONE"


def _now(settings) -> dt.datetime:
    from sitekit.clock import build_now

    return build_now(settings)


def declare_fields(settings) -> None:
    """Allow the fields on articles, pages and every events folder."""
    fields = dict(settings.get("EDITORIAL_FIELDS") or {})
    kinds = {"articles", "pages", *(settings.get("EVENT_PATHS") or ["events"])}
    for kind in kinds:
        fields[kind] = set(fields.get(kind, ())) | set(FIELDS)
    settings["EDITORIAL_FIELDS"] = fields


def _parse(settings, metadata) -> tuple[dt.datetime | None, list[tuple[str, str]]]:
    """(the expiry as an aware datetime or None, problems as (field, message))."""
    from zoneinfo import ZoneInfo

    from editorial import FieldError, parse_strict_date

    given = [name for name in FIELDS if metadata.get(name) not in (None, "")]
    if not given:
        return None, []
    if len(given) > 1:
        return None, [(given[1], "« Expire: » et « Expiration: » disent la même chose ; "
                                 "gardez une seule de ces deux lignes")]
    name, value = given[0], metadata[given[0]]
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = parse_strict_date(str(value), name)
        except FieldError as exc:
            return None, [(name, exc.message)]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.get("TIMEZONE") or "UTC"))
    date = metadata.get("date")
    if isinstance(date, dt.datetime):
        start = date if date.tzinfo else date.replace(tzinfo=moment.tzinfo)
        if moment <= start:
            return None, [(name, f"la date de retrait {moment:%Y-%m-%d %H:%M} n'est pas après "
                                 f"la date de publication {start:%Y-%m-%d %H:%M} ; le texte ne "
                                 "serait jamais en ligne : corrigez l'une des deux dates")]
    return moment, []


def check_metadata(settings, path: str, metadata: dict) -> dt.datetime | None:
    """Record the problems of one file's expiry fields; return its expiry."""
    from editorial import record_problem

    moment, problems = _parse(settings, metadata)
    for field, message in problems:
        record_problem(settings, path, field, message)
    return moment


def expiry_of(content) -> dt.datetime | None:
    return getattr(content, "expires", None)


def is_expired(content, now: dt.datetime) -> bool:
    moment = expiry_of(content)
    return moment is not None and moment <= now


def read_expiry(content) -> None:
    """content_object_init: ``content.expires`` (None without the field)."""
    settings = getattr(content, "settings", None)
    path = getattr(content, "source_path", None)
    if settings is None or not path:
        return
    metadata = dict(getattr(content, "metadata", None) or {})
    metadata.setdefault("date", getattr(content, "date", None))
    content.expires = check_metadata(settings, path, metadata)


def _note(settings, objs, now) -> None:
    found = settings.setdefault(UPCOMING_KEY, [])
    for obj in objs:
        moment = expiry_of(obj)
        if moment is not None and moment > now:
            found.append((moment, obj.source_path, getattr(obj, "title", "")))


def _drop(settings, obj, now) -> bool:
    if is_expired(obj, now):
        logger.info("expiry: %s left the site at %s", obj.source_path, obj.expires.isoformat())
        save_as = getattr(obj, "save_as", "") or ""
        if save_as:
            settings.setdefault(EXPIRED_KEY, set()).add(save_as)
        return True
    return False


def gone_paths(settings) -> list[str]:
    """The output paths of this build's expired contents (relative, never leaving the output)."""
    paths = set()
    for save_as in settings.get(EXPIRED_KEY) or ():
        path = os.path.normpath(save_as.lstrip("/"))
        if path and not path.startswith(("..", ".")) and "\x00" not in path:
            paths.add(path)
    return sorted(paths)


def write_gone(pelican) -> None:
    """finalized: ``.gone/<output path>.410`` for each expired content (410 Gone)."""
    output = getattr(pelican, "output_path", None)
    if not output:
        return
    for path in gone_paths(pelican.settings):
        marker = os.path.join(output, GONE_FOLDER, path + GONE_SUFFIX)
        os.makedirs(os.path.dirname(marker), exist_ok=True)
        with open(marker, "wb"):
            pass


def _filter(settings, owner, names, now) -> None:
    """Remove expired contents from the lists ``names`` of ``owner`` (in place:
    the build's context holds the same lists)."""
    for name in names:
        items = getattr(owner, name, None)
        if isinstance(items, list):
            _note(settings, items, now)
            items[:] = [obj for obj in items if not _drop(settings, obj, now)]


def drop_expired_articles(generator) -> None:
    """article_generator_pretaxonomy: before listings, tags and feeds."""
    settings = generator.settings
    settings[UPCOMING_KEY] = []
    _filter(settings, generator, ("articles", "translations", "hidden_articles",
                                  "hidden_translations", "drafts", "drafts_translations"),
            _now(settings))


def drop_expired_pages(generator) -> None:
    _filter(generator.settings, generator, ("pages", "hidden_pages", "draft_pages",
                                            "translations", "hidden_translations",
                                            "draft_translations"), _now(generator.settings))


def finish(generators) -> None:
    """all_generators_finalized: expired events out; links to expiring contents."""
    if not generators:
        return
    settings = generators[0].settings
    now = _now(settings)
    for gen in generators:
        if hasattr(gen, "upcoming_events"):
            _filter(settings, gen, ("events", "hidden_events", "draft_events",
                                    "upcoming_events", "past_events", "editorial_contents"), now)
    settings[UPCOMING_KEY] = sorted(set(settings.get(UPCOMING_KEY) or []))
    check_links(settings, generators)


def check_links(settings, generators) -> None:
    """A link from a published content to one that leaves the site earlier."""
    from editorial import LINKS_KEY, contents, line_of, record_problem

    by_path = {os.path.abspath(obj.source_path): obj for obj in contents(generators)
               if getattr(obj, "source_path", None)}
    for source, target, value in settings.get(LINKS_KEY, []):
        linked, origin = by_path.get(target), by_path.get(source)
        until = expiry_of(linked) if linked is not None else None
        if until is None or origin is None or getattr(origin, "status", "") == "draft":
            continue
        mine = expiry_of(origin)
        if mine is not None and mine <= until:
            continue
        record_problem(settings, source, None, (
            f"lien « {value} » vers un texte retiré du site le {until:%Y-%m-%d à %H:%M} "
            "(champ « Expire ») : le lien serait cassé à cette date ; retirez le lien, ou "
            "donnez à ce texte-ci une date de retrait (Expire:) qui ne soit pas plus tardive"),
            line_of(source, value))


def upcoming(settings) -> list[tuple[dt.datetime, str, str]]:
    """The expiries still to come in this build, earliest first."""
    return list(settings.get(UPCOMING_KEY) or [])


def _declare(readers) -> None:
    declare_fields(readers.settings)


def register():
    signals.readers_init.connect(_declare)
    signals.content_object_init.connect(read_expiry)
    signals.article_generator_pretaxonomy.connect(drop_expired_articles)
    signals.page_generator_finalized.connect(drop_expired_pages)
    signals.all_generators_finalized.connect(finish)
    signals.finalized.connect(write_gone)
