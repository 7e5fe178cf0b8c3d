"""French dates for templates, through Babel (never the system locale)."""

from .french import date_fr, datetime_fr, day_fr, register, time_fr

__all__ = ["date_fr", "datetime_fr", "day_fr", "register", "time_fr"]
