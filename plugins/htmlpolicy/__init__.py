"""HTML policy: editors' raw HTML is checked against an allow-list by nh3
(``policy.py``); anything outside it fails the build with the file and the
line (``plugin.py``)."""

from .plugin import check_content, register
from .policy import ATTRIBUTES, TAGS, URL_SCHEMES, Refusal, refusals, sanitise

__all__ = ["ATTRIBUTES", "TAGS", "URL_SCHEMES", "Refusal", "check_content", "refusals",
           "register", "sanitise"]
