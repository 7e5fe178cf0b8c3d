"""Link check of the whole built site (internal links, anchors, images,
feeds), run at the end of every build: see ``check.py`` and ``plugin.py``."""

from .check import Broken, check_output
from .plugin import LinkCheckError, register
from .record import covered

__all__ = ["Broken", "LinkCheckError", "check_output", "covered", "register"]
