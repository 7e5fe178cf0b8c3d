"""Quality checks in Chromium against the live site (the development
launcher), with the fixtures of tests/browser/conftest.py (one Playwright per
test process: the sync API cannot run two). Tools: tests/quality/qualitylib.py."""

from __future__ import annotations

import time
import urllib.request

import pytest

from livelib import COMMENT_TEXT, COMMENTED, COMMENTED_THREAD
from quality.qualitylib import axe_js, vnu  # noqa: F401  (fixtures)


@pytest.fixture(scope="session")
def commented_site(live_site):
    """The live site, with one approved comment published on COMMENTED."""
    from comment_service.store import CommentStore

    CommentStore(live_site.store).add(COMMENTED_THREAD, "Annie Ernaux-Lefèvre",
                                      "annie@example.org", COMMENT_TEXT, status="approved")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with urllib.request.urlopen(live_site.url(COMMENTED), timeout=10) as response:
            if "où trouver le détail" in response.read().decode("utf-8"):
                return live_site
        time.sleep(0.5)
    pytest.fail("the approved comment was not published by the rebuild")
