"""Production settings: absolute URLs, feeds, no drafts. Imports the development ones.

The public address comes from the environment (SITEURL) so that one checkout
can publish to a staging host and to the real one. A publication is a
release (``python -m release publish``, ``make publish``): each build goes
into a new folder under SITE_ROOT/releases/ and the served link ``current``
is switched only when the build and its checks passed (docs/publishing.md).
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

from comment_service import defaults as _defaults  # noqa: E402

SITEURL = os.environ.get("SITEURL", SITE_PUBLIC_URL).rstrip("/")  # noqa: F405
SITE_ABSOLUTE_URL = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

# Each release is built into a new, empty folder: nothing to delete.
DELETE_OUTPUT_DIRECTORY = False
# Production builds start clean: no stale cache can hide a change.
LOAD_CONTENT_CACHE = False

# Drafts (Status: draft) and scheduled articles (dated in the future,
# plugins/schedule) are not written at all: they are not in the release.
# Development builds show them under brouillons/ (noindex) as a preview.
DRAFT_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_URL = ""

# A publication refuses a comment store that does not exist (a typo in
# COMMENTS_STORE would publish a site without its comments): release/comments_kept.py.
COMMENTS_STORE_REQUIRED = True

# Releases (python -m release): where they live, how many are kept.
# Defaults in comment_service/defaults.py; the environment overrides them.
SITE_ROOT = os.environ.get("SITE_ROOT", _defaults.SITE_ROOT)
RELEASES_KEEP = os.environ.get("RELEASES_KEEP", str(_defaults.RELEASES_KEEP))
