"""Readers' reports under the personal-data rules (comment_service/reports/retention.py):
``personal-data purge`` empties a closed report's details after the e-mail
retention, ``erase`` empties the details of the reports about the erased
comments; the reports themselves (no personal data) stay for the table."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from comment_service.config import Shared
from comment_service.ops.personal_data import erase, purge
from comment_service.reports.records import KEPT, ReportStore
from comment_service.store import CommentStore

from comment_testlib import THREAD

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
DETAIL = "Cette personne habite 3 rue des Lilas"


def test_purge_empties_closed_reports_details_after_the_retention(tmp_path):
    store = CommentStore(tmp_path / "store")
    reports = ReportStore(store.root)
    old, recent, still_open = (store.add(THREAD, n, "", "texte", status="approved") for n in "ABC")
    days = Shared().email_retention_days
    reports.add(THREAD, old.id, "forme", DETAIL, now=NOW - timedelta(days=days + 5))
    reports.close(old.id, KEPT, now=NOW - timedelta(days=days + 1))
    reports.add(THREAD, recent.id, "forme", DETAIL, now=NOW - timedelta(days=days + 5))
    reports.close(recent.id, KEPT, now=NOW - timedelta(days=days - 1))
    reports.add(THREAD, still_open.id, "forme", DETAIL, now=NOW - timedelta(days=days + 5))
    result = purge(store, Shared(), NOW)
    assert result.report_messages_cleared == 1
    assert [r.message for r in reports.for_comment(old.id)] == [""]
    assert [r.status for r in reports.for_comment(old.id)] == [KEPT]  # kept for the table
    assert [r.message for r in reports.for_comment(recent.id)] == [DETAIL]
    assert [r.message for r in reports.for_comment(still_open.id)] == [DETAIL]  # a moderator still needs it
    assert purge(store, Shared(), NOW).report_messages_cleared == 0  # a second run changes nothing


def test_erase_empties_the_details_of_the_reports_about_the_erased_comments(tmp_path):
    store = CommentStore(tmp_path / "store")
    reports = ReportStore(store.root)
    mine = store.add(THREAD, "Moi", "moi@example.org", "texte", status="approved")
    other = store.add(THREAD, "Autre", "autre@example.org", "texte", status="approved")
    for comment in (mine, other):
        reports.add(THREAD, comment.id, "attaque-personnelle", DETAIL)
    erase(store, "moi@example.org", None, anonymise=False)
    assert [r.message for r in reports.for_comment(mine.id)] == [""]
    assert [r.message for r in reports.for_comment(other.id)] == [DETAIL]
    assert not any(DETAIL in p.read_text(encoding="utf-8") for p in (store.root / "reports").rglob(f"{mine.id}/*"))
