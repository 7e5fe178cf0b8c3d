"""Published comments as open data (CSV, JSON, Table Schema), the « Données
ouvertes » page and Atom feeds of comments; the monthly moderation table
(``moderation.py``)."""

from .opendata import DEFAULTS, OpenData, register

__all__ = ["DEFAULTS", "OpenData", "register"]
