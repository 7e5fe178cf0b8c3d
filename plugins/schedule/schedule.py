"""Scheduled articles: an article dated in the future waits for its date.

At ``article_generator_pretaxonomy`` (articles read, listings not yet made),
every published article whose date is after "now" becomes a draft of this
build: it is in no listing, feed, sitemap, search index or threads manifest.
Development builds write drafts under ``brouillons/`` (a preview, marked
``noindex``); production builds (``publishconf.py``) write no draft at all,
so the release does not contain it. The next build after its date publishes
it: production rebuilds on a schedule (see docs/publishing.md).

Setting: ``SCHEDULE_NOW`` (setting, or the environment variable of the same
name): the moment that counts as now, ``AAAA-MM-JJ`` or ``AAAA-MM-JJ HH:MM``
in the site's TIMEZONE, for reproducible builds and tests; default: the
build's own clock. Pure helpers: ``parse_now``, ``is_scheduled``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from pelican import signals

from sitekit.clock import ScheduleError, parse_now  # noqa: F401 (the clock, shared with expiry)

logger = logging.getLogger(__name__)


def is_scheduled(date: dt.datetime, now: dt.datetime) -> bool:
    """True when an article dated ``date`` must wait (naive dates are in now's zone)."""
    if date.tzinfo is None:
        date = date.replace(tzinfo=now.tzinfo)
    return date > now


def hold_future_articles(generator):
    settings = generator.settings
    now = parse_now(settings.get("SCHEDULE_NOW") or os.environ.get("SCHEDULE_NOW"),
                    settings.get("TIMEZONE") or "UTC")
    waiting = [a for a in generator.articles if is_scheduled(a.date, now)]
    if not waiting:
        return
    for article in waiting:
        article.status = "draft"  # its URL and save_as become the draft ones
        article.scheduled = True  # its preview's banner says « Programmé le … »
        logger.info("schedule: %s waits for %s", article.source_path, article.date.isoformat())
    generator.articles = [a for a in generator.articles if a not in waiting]
    generator.translations = [a for a in generator.translations
                              if not is_scheduled(a.date, now)]
    generator.drafts = [*generator.drafts, *waiting]


def register():
    from .waiting import note_waiting

    signals.article_generator_pretaxonomy.connect(hold_future_articles)
    signals.all_generators_finalized.connect(note_waiting)
