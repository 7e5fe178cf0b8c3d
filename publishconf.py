"""Production settings: absolute URLs and feeds. Imports the development ones.

The public address comes from the environment (SITEURL) so that one checkout
can publish to a staging host and to the real one.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://www.valdoise.fr").rstrip("/")
SITE_ABSOLUTE_URL = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

DELETE_OUTPUT_DIRECTORY = True
# ... but keep the threads manifest while the site is rebuilt: the running
# comment service reads it, and the build replaces it atomically at the end.
OUTPUT_RETENTION = [COMMENTS_MANIFEST]  # noqa: F405
# Production builds start clean: no stale cache can hide a change.
LOAD_CONTENT_CACHE = False
