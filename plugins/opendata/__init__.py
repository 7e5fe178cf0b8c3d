"""Published comments as open data (CSV, JSON, Table Schema), the « Données
ouvertes » page and Atom feeds of comments."""

from .opendata import DEFAULTS, OpenData, register, size_fr
from .table import LICENCE, dumps

__all__ = ["DEFAULTS", "LICENCE", "OpenData", "dumps", "register", "size_fr"]
