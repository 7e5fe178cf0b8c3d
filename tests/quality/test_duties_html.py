"""The Nu HTML Checker on the pages of the public body's duties built with
data in them (the whole-output test builds with an empty comment store: the
moderation table would not be there)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from comment_service.store import CommentStore
from qualitylib import describe_vnu, run_vnu
from support import write_checks_record

pytestmark = pytest.mark.timeout(300)


def test_duty_pages_with_data_are_valid_html(vnu, tmp_path, build_site, content_copy):
    store = CommentStore(tmp_path / "store")
    when = datetime(2026, 9, 3, 10, tzinfo=timezone.utc)
    for state in ("approved", "rejected", "pending"):
        c = store.add("inventer-les-services-publics-de-demain", "A", "", "Texte.", now=when)
        if state != "pending":
            store.move(c.id, state, reason="publicite" if state == "rejected" else None)
    # The statement with the figures of its automated checks.
    write_checks_record(content_copy, {"axe": {"version": "4.14.1", "tests": 2, "passed": 2,
                                               "failed": 0, "skipped": 0, "pages": 2, "errors": 0}})
    site = build_site(content=content_copy, settings_file="publishconf.py", COMMENTS_STORE=str(store.root),
                      SEARCH_INDEX=False, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    pages = [site.path(u) for u in ("/donnees/moderation/", "/plan-du-site/", "/accessibilite/",
                                    "/mentions-legales/", "/charte-de-moderation-facile/")]
    assert site.soup("/donnees/moderation/").select(".moderation-table tbody tr")
    assert site.soup("/accessibilite/").select(".statement__checks li")
    errors = run_vnu(vnu, *pages)
    assert errors == [], describe_vnu(errors, site.output)
