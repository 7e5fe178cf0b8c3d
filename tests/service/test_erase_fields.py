"""Issue 21, item 11: ``erase`` overwrites in the audit log only the fields that
can hold the commenter's data, not every field that happens to equal their name."""

from __future__ import annotations

from comment_service.ops.audit import AuditLog
from comment_service.ops.personal_data import ERASED, erase
from comment_service.store import CommentStore


def test_erase_keeps_the_services_own_fields(tmp_path):
    store = CommentStore(tmp_path / "store")
    # A commenter whose name is a state, a moderator's account and a reason code.
    named_like_a_state = store.add("fil-un", "pending", "p@example.org", "Bonjour")
    named_like_alice = store.add("fil-un", "alice", "a@example.org", "Salut")
    audit = AuditLog(store.root)
    audit.append("alice", "reject", comment_id=named_like_a_state.id, thread="fil-un", source="console",
                 address="192.0.2.1", previous="pending", reason="pending", note="pending")
    audit.append("alice", "approve", comment_id=named_like_alice.id, thread="fil-un", source="console",
                 address="192.0.2.1", previous="pending", account="alice", note="alice (p@example.org)")
    erase(store, None, named_like_a_state.id, anonymise=False)
    erase(store, None, named_like_alice.id, anonymise=False)
    first, second = list(audit.entries())[:2]
    assert first["previous"] == "pending" and first["reason"] == "pending"  # the service's own words
    assert first["note"] == ERASED  # free text: the name is taken out
    assert second["account"] == "alice" and second["actor"] == "alice" and second["previous"] == "pending"
    assert second["address"] == "192.0.2.1"
    erase(store, "p@example.org", None, anonymise=False)
    assert list(audit.entries())[1]["note"] == ERASED
