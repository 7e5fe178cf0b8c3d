"""Previous/next links between articles, in date order."""

from .navigation import register

__all__ = ["register"]
