"""Scheduled articles: a future-dated article is not published before its
date (see ``schedule.py``)."""

from .schedule import hold_future_articles, is_scheduled, parse_now, register

__all__ = ["hold_future_articles", "is_scheduled", "parse_now", "register"]
