"""Readers' reports in ``backup`` and ``restore`` (comment_service/reports/backup.py):
copied with the comments, restored as they were; a tampered or misplaced
report file in a backup is refused with its path, nothing restored."""

from __future__ import annotations

import json

import pytest

from comment_service.ops import backup
from comment_service.reports.records import KEPT, ReportStore
from comment_service.store import CommentStore

THREAD = "fil-un"


@pytest.fixture
def copy(tmp_path):
    store = CommentStore(tmp_path / "store")
    comment = store.add(THREAD, "Nom", "", "Texte", status="approved")
    reports = ReportStore(store.root)
    reports.add(THREAD, comment.id, "forme", "Détail")
    reports.close(comment.id, KEPT)
    reports.add(THREAD, comment.id, "publicite", "")
    dest = tmp_path / "copy"
    manifest = backup.backup(store.root, dest)
    assert manifest["files"] == 3
    assert backup.check(dest) == []
    return dest, comment.id


def test_reports_are_backed_up_and_restored(copy, tmp_path):
    dest, comment_id = copy
    assert backup.restore(dest, tmp_path / "restored") is None
    restored = ReportStore(tmp_path / "restored").for_comment(comment_id)
    assert [(r.reason, r.message, r.status) for r in restored] == [("forme", "Détail", KEPT),
                                                                   ("publicite", "", "open")]


def test_a_tampered_or_misplaced_report_is_refused(copy, tmp_path):
    dest, comment_id = copy
    first = sorted((dest / "reports" / THREAD / comment_id).glob("*.json"))[0]
    data = json.loads(first.read_text(encoding="utf-8"))
    first.write_text(json.dumps(dict(data, status="?")), encoding="utf-8")
    (dest / "reports" / THREAD / "notes.txt").write_text("?", encoding="utf-8")
    with pytest.raises(backup.BackupError) as info:
        backup.restore(dest, tmp_path / "restored")
    assert first.name in str(info.value) and "notes.txt" in str(info.value)
    assert not (tmp_path / "restored").exists()
