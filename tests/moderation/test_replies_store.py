"""Contract R4: the Département's replies in the store and their read API."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from comment_service.store import CommentStore, InvalidId, NotFound, Reply

THREAD = "un-article"
T0 = datetime(2026, 11, 26, 10, 15, 30, tzinfo=timezone.utc)
T1 = datetime(2026, 11, 27, 9, 0, 0, tzinfo=timezone.utc)


def test_write_edit_remove_a_reply(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Quand la route rouvre-t-elle ?", "approved")
    reply = store.set_reply(c.id, "Direction des routes", "Le 3 décembre.", "alice", now=T0)
    path = tmp_path / "replies" / THREAD / f"{c.id}.json"
    assert json.loads(path.read_text(encoding="utf-8"))["text"] == "Le 3 décembre."
    assert store.replies(THREAD) == {c.id: reply}
    assert store.reply_for(c.id) == reply and not reply.edited
    edited = store.set_reply(c.id, "Direction des routes", "Le 4 décembre.", "bob", now=T1)
    assert (edited.created_at, edited.updated_at, edited.author) == ("2026-11-26T10:15:30Z", "2026-11-27T09:00:00Z", "bob")
    assert edited.edited and store.reply_for(c.id).text == "Le 4 décembre."
    assert list((tmp_path / "tmp").iterdir()) == []
    assert store.remove_reply(c.id) == edited
    assert store.reply_for(c.id) is None and store.replies(THREAD) == {}
    assert store.remove_reply(c.id) is None


def test_a_reply_needs_an_existing_comment_and_some_text(tmp_path):
    store = CommentStore(tmp_path)
    with pytest.raises(NotFound):
        store.set_reply("20261126T101530123456Z-0123456789ab", "Service", "Texte", "alice")
    with pytest.raises(InvalidId):
        store.reply_for("../etc/passwd")
    c = store.add(THREAD, "Zoé", "", "Bonjour")
    with pytest.raises(ValueError):
        store.set_reply(c.id, "Service", "   ", "alice")
    assert store.reply_for(c.id) is None


def test_deleting_a_comment_removes_its_reply(tmp_path):
    store = CommentStore(tmp_path)
    c = store.add(THREAD, "Zoé", "", "Bonjour", "approved")
    store.set_reply(c.id, "Service", "Réponse", "alice")
    store.delete(c.id)
    assert store.replies(THREAD) == {}


def test_a_damaged_reply_is_reported_and_skipped(tmp_path):
    seen = []
    store = CommentStore(tmp_path, on_damaged=lambda p, r: seen.append(p.name))
    a = store.add(THREAD, "A", "", "a", "approved")
    b = store.add(THREAD, "B", "", "b", "approved")
    store.set_reply(a.id, "Service", "Réponse", "alice")
    (tmp_path / "replies" / THREAD / f"{b.id}.json").write_text("{oops")
    (tmp_path / "replies" / THREAD / "notes.txt").write_text("x")
    assert list(store.replies(THREAD)) == [a.id]
    assert sorted(seen) == sorted([f"{b.id}.json", "notes.txt"])
    assert store.reply_for(b.id) is None


def test_reply_round_trip():
    r = Reply("20261126T101530123456Z-0123456789ab", THREAD, "Service", "« Oui »\n<b>", "2026-11-26T10:15:30Z",
              "2026-11-26T10:15:30Z", "alice")
    assert Reply.from_json(r.to_json()) == r
