"""French typography for editors' text at build time (titles, summaries,
bodies): no-break spaces before ``; : ! ?`` and inside « ». See
``typography.py`` (the rules, pure) and ``plugin.py`` (the signal)."""

from .plugin import register
from .typography import french_html, french_text

__all__ = ["french_html", "french_text", "register"]
