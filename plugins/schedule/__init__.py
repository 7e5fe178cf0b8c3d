"""Scheduled articles: a future-dated article is not published before its
date (see ``schedule.py``); every build lists what waits (``waiting.py``)."""

from .schedule import hold_future_articles, is_scheduled, parse_now, register
from .waiting import unpublished, waiting_lines

__all__ = ["hold_future_articles", "is_scheduled", "parse_now", "register", "unpublished", "waiting_lines"]
