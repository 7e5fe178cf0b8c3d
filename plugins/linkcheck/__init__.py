"""Link check of the whole built site (internal links, anchors, images,
feeds), run at the end of every build: see ``check.py`` and ``plugin.py``."""

from .check import Broken, Site, check_output, scan_page
from .plugin import LinkCheckError, describe, ignored_prefixes, own_urls, register
from .record import covered

__all__ = ["Broken", "LinkCheckError", "Site", "check_output", "covered", "describe",
           "ignored_prefixes", "own_urls", "register", "scan_page"]
