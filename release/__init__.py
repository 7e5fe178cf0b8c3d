"""Publishing the site as releases.

    python -m release publish [--settings publishconf.py] [--content DIR] [--keep N]
    python -m release rollback [--to ID]
    python -m release list

A publication builds the site into a new folder under SITE_ROOT/releases/,
checks it (the build's own editorial, HTML and link checks, then the link
check again on the finished folder), and only then makes it live by
switching the ``current`` link atomically (``layout.py``). A failed or
interrupted build changes nothing readers see; the last RELEASES_KEEP
releases (default 5) stay for a rollback. ``make publish`` and
``make rollback`` run these commands; docs/publishing.md describes the
layout for nginx and for a static host.
"""

from .layout import Releases, ReleaseError, new_release_id
from .publish import BuildFailed, Options, listing, load_options, publish, rollback

__all__ = ["BuildFailed", "Options", "ReleaseError", "Releases", "listing", "load_options",
           "new_release_id", "publish", "rollback"]
