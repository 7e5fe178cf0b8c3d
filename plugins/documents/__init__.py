"""Documents linked from bodies: format, size, language, accessibility (see ``plugin.py``)."""

from .plugin import register

__all__ = ["register"]
