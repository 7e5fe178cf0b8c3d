"""Contracts R2 (audit log) and R3 (optional fields of a comment record)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import pytest

from comment_service.ops.audit import AuditLog
from comment_service.store import CommentStore, Conflict, DamagedComment

THREAD = "un-article"
T0 = datetime(2026, 11, 26, 10, 15, 30, tzinfo=timezone.utc)


def test_audit_appends_one_json_line_per_entry(tmp_path):
    log = AuditLog(tmp_path)
    log.append("alice", "approve", comment_id="c1", thread=THREAD, source="console 192.0.2.1", now=T0)
    log.append("cli:root", "reject", comment_id="c2", reason="hors-sujet")
    lines = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == {"at": "2026-11-26T10:15:30Z", "actor": "alice", "action": "approve", "comment_id": "c1",
                     "thread": THREAD, "source": "console 192.0.2.1"}
    assert [e["action"] for e in log.entries()] == ["approve", "reject"]
    assert list(log.entries())[1]["reason"] == "hors-sujet"


def test_audit_skips_a_damaged_line_and_never_truncates(tmp_path):
    log = AuditLog(tmp_path)
    log.append("a", "one")
    with open(tmp_path / "audit.jsonl", "ab") as f:
        f.write(b"{not json\n\xff\n[1]\n")
    log.append("a", "two")
    assert [e["action"] for e in log.entries()] == ["one", "two"]


def test_audit_refuses_reserved_detail_names(tmp_path):
    with pytest.raises(ValueError):
        AuditLog(tmp_path).append("a", "x", at="forged")


def test_old_files_without_optional_fields_still_read(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Bonjour", now=T0)
    path = tmp_path / "pending" / THREAD / f"{c.id}.json"
    obj = json.loads(path.read_text())
    assert set(obj) == {"id", "thread", "name", "email", "text", "created_at", "status"}
    got = store.get(c.id)
    assert got.moderated_at is None and got.reason is None and got.signals == []


def test_moderated_at_is_set_on_every_move_and_reason_kept_for_rejection(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Bonjour", now=T0, signals=["lien"])
    store.move(c.id, "approved", now=T0.replace(hour=11))
    assert store.get(c.id).moderated_at == "2026-11-26T11:15:30Z"
    store.move(c.id, "rejected", reason="hors-sujet", now=T0.replace(hour=12))
    got = store.get(c.id)
    assert (got.status, got.reason, got.moderated_at, got.signals) == (
        "rejected", "hors-sujet", "2026-11-26T12:15:30Z", ["lien"])
    store.move(c.id, "pending", now=T0.replace(hour=13))
    got = store.get(c.id)
    assert got.reason is None and got.moderated_at == "2026-11-26T13:15:30Z"


def test_expect_refuses_a_comment_someone_else_moved(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Bonjour")
    store.move(c.id, "approved", expect="pending")
    with pytest.raises(Conflict) as info:
        store.move(c.id, "rejected", expect="pending")
    assert info.value.comment.status == "approved"
    with pytest.raises(Conflict):
        store.delete(c.id, expect="pending")
    assert store.get(c.id).status == "approved"


@pytest.mark.parametrize("extra", [{"moderated_at": 3}, {"moderated_at": "hier"}, {"reason": "Pas une clé"},
                                   {"signals": "lien"}, {"signals": [1]}])
def test_bad_optional_fields_make_a_damaged_file(tmp_path, extra):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Bonjour")
    path = tmp_path / "pending" / THREAD / f"{c.id}.json"
    obj = json.loads(path.read_text())
    obj.update(extra)
    path.write_text(json.dumps(obj))
    with pytest.raises(DamagedComment):
        store.get(c.id)
    assert os.path.exists(path)


def test_french_dates_are_paris_time():
    from comment_service.console.views import french_datetime

    assert french_datetime(datetime(2026, 6, 1, 7, 0, tzinfo=timezone.utc)) == "1er juin 2026 à 9\u00a0h"
    assert french_datetime(datetime(2026, 12, 24, 15, 5, tzinfo=timezone.utc)) == "24 décembre 2026 à 16\u00a0h\u00a005"


def test_spam_signals():
    from comment_service.rules.signals import detect

    assert detect("Zoé", "Bonjour à tous") == []
    assert detect("Promo www.achat.com", "VISITEZ NOTRE BOUTIQUE HTTP://A.B/C ET HTTPS://X.Y ET WWW.Z.COM !!!!!!!!!!") == [
        "lien", "liens-multiples", "nom-avec-lien", "majuscules", "repetition"]
