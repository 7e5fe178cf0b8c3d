"""French dates through Babel (never the system locale: a fresh machine has
no ``fr_FR`` locale, so ``strftime`` cannot be trusted for month names).

* ``date_fr``: ``12 juin 2014``; ``1er juin 2014`` on the first of a month;
  ``date_fr(d, "full")``: ``jeudi 12 juin 2014``; ``"short"``: ``12/06/2014``;
  ``"month"``: ``juin 2014``.
* ``day_fr``: the day of the month as French writes it (``1er``, ``2``...).
* ``time_fr``: ``9 h``, ``14 h 30``.
* ``datetime_fr``: ``12 juin 2014 à 14 h 30``.
* ``isodate``: ISO 8601 for ``<time datetime>`` and structured data.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date

LOCALE = "fr_FR"


def day_fr(value: dt.date) -> str:
    """The day of the month as French writes it: 1er, 2, 3…"""
    return "1er" if value.day == 1 else str(value.day)


@lru_cache(maxsize=4096)  # listings repeat the same dates; Babel is slow
def date_fr(value: dt.date, style: str = "long") -> str:
    if style == "short":
        return format_date(value, "dd/MM/y", locale=LOCALE)
    if style == "month":
        return format_date(value, "LLLL y", locale=LOCALE)
    if style == "full":
        weekday = format_date(value, "EEEE", locale=LOCALE)
        return f"{weekday} {day_fr(value)} {format_date(value, 'MMMM y', locale=LOCALE)}"
    if style == "long":
        return f"{day_fr(value)} {format_date(value, 'MMMM y', locale=LOCALE)}"
    raise ValueError(f"unknown date style {style!r}")


def time_fr(value: dt.datetime | dt.time) -> str:
    """French typographic convention: 9 h, 14 h 30 (non-breaking spaces)."""
    nbsp = "\u00a0"
    if value.minute:
        return f"{value.hour}{nbsp}h{nbsp}{value.minute:02d}"
    return f"{value.hour}{nbsp}h"


def datetime_fr(value: dt.datetime, style: str = "long") -> str:
    return f"{date_fr(value, style)} à {time_fr(value)}"


def isodate(value: dt.date) -> str:
    return value.isoformat()
