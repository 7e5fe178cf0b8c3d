"""Issue 21, item 6: restore refuses symbolic links anywhere in a backup and
any file that does not parse as what its folder holds (comments through the
store's parser, moderators.json against its schema), in French, and puts
nothing in place."""

from __future__ import annotations

import json
import os

import pytest

from comment_service.ops import backup
from comment_service.console.accounts import Accounts
from comment_service.store import CommentStore


@pytest.fixture
def copy(tmp_path):
    store = CommentStore(tmp_path / "store")
    ids = [store.add("fil-un", f"Nom {i}", "", f"Texte {i}").id for i in range(3)]
    store.move(ids[0], "approved")
    store.set_reply(ids[0], "Direction des routes", "Merci.", "alice")
    Accounts(store.root).add("alice", "correct horse battery staple")
    dest = tmp_path / "copy"
    backup.backup(store.root, dest)
    assert backup.check(dest) == []
    return dest


def _refused(copy, tmp_path, *words):
    target = tmp_path / "restored"
    with pytest.raises(backup.BackupError) as info:
        backup.restore(copy, target)
    assert not target.exists()
    assert not list(tmp_path.glob("restored.restoring-*"))
    text = str(info.value)
    assert "n'a pas été restaurée" in text
    for word in words:
        assert word in text, text
    return text


def test_a_linked_comment_file_is_refused(copy, tmp_path):
    outside = tmp_path / "outside.json"
    pending = next((copy / "pending" / "fil-un").glob("*.json"))
    outside.write_bytes(pending.read_bytes())
    pending.unlink()
    os.symlink(outside, pending)  # a valid comment, but outside the backup
    _refused(copy, tmp_path, "lien symbolique", str(pending))


def test_a_linked_folder_and_a_linked_moderators_file_are_refused(copy, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", copy / "rejected")
    real = tmp_path / "moderators-elsewhere.json"
    real.write_bytes((copy / "moderators.json").read_bytes())
    (copy / "moderators.json").unlink()
    os.symlink(real, copy / "moderators.json")
    text = _refused(copy, tmp_path, "lien symbolique")
    assert str(copy / "rejected") in text and str(copy / "moderators.json") in text


@pytest.mark.parametrize("content", [
    b"{not json",
    b"[]",
    b'{"version": 1, "accounts": {"mallory": {"hash": "plaintext-password"}}}',
    b'{"version": 1, "accounts": {"Mallory Admin": {"hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"}}}',
    b'{"version": 1, "accounts": {"mallory": {"hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", '
    b'"totp": "not base32!", "created_at": "2026-01-01T00:00:00Z"}}}',
    b'{"version": 2, "accounts": {}}',
])
def test_a_tampered_moderators_file_is_refused(copy, tmp_path, content):
    (copy / "moderators.json").write_bytes(content)
    _refused(copy, tmp_path, "moderators.json")


def test_an_unknown_entry_is_refused(copy, tmp_path):
    (copy / "pending" / "fil-un" / "notes.txt").write_text("?", encoding="utf-8")
    (copy / "extra.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    text = _refused(copy, tmp_path)
    assert "notes.txt" in text and "extra.sh" in text


def test_a_good_copy_still_restores(copy, tmp_path):
    assert backup.restore(copy, tmp_path / "restored") is None
    assert Accounts(tmp_path / "restored").get("alice") is not None
    assert json.loads((tmp_path / "restored" / "moderators.json").read_text())["version"] == 1
