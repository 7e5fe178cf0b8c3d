"""Quality checks of the built site with real tools (see qualitylib.py)."""

from qualitylib import axe_js, vnu  # noqa: F401  (fixtures)
