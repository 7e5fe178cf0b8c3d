"""Jinja filters that format dates and times in French with Babel.

The functions live in ``sitekit.dates`` (shared with the events plugin);
this plugin registers them as filters on every Pelican generator's Jinja
environment: ``date_fr``, ``time_fr``, ``datetime_fr``, ``isodate`` (see
``sitekit/dates.py`` for what each one writes).
"""

from __future__ import annotations

from pelican import signals

from sitekit.dates import date_fr, datetime_fr, day_fr, isodate, time_fr

FILTERS = {
    "date_fr": date_fr,
    "time_fr": time_fr,
    "datetime_fr": datetime_fr,
    "isodate": isodate,
}

__all__ = ["FILTERS", "date_fr", "datetime_fr", "day_fr", "isodate", "register", "time_fr"]


def add_filters(generator):
    generator.env.filters.update(FILTERS)


def register():
    signals.generator_init.connect(add_filters)
