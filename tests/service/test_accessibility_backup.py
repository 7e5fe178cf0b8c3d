"""Accessibility requests in a backup: copied, checked before a restore
(a damaged or unexpected file refused, in French), put back whole."""

from __future__ import annotations

import pytest

from comment_service.ops import backup
from comment_service.accessibility.records import FOLDER, Requests
from comment_service.store import CommentStore


@pytest.fixture
def saved(tmp_path):
    store = CommentStore(tmp_path / "store")
    store.add("fil-un", "Nom", "", "Texte")
    requests = Requests(store.root)
    request = requests.add("Léa", "lea@example.org", "", "Le PDF n’est pas balisé.")
    requests.set_answer(request.id, "Voici la version balisée.", "alice")
    dest = tmp_path / "copy"
    manifest = backup.backup(store.root, dest)
    return dest, request, manifest


def test_requests_are_backed_up_and_restored(saved, tmp_path):
    dest, request, manifest = saved
    assert manifest["files"] == 2
    assert (dest / FOLDER / f"{request.id}.json").is_file()
    assert backup.check(dest) == []
    backup.restore(dest, tmp_path / "restored")
    back = Requests(tmp_path / "restored").get(request.id)
    assert back.text == "Le PDF n’est pas balisé." and back.answer["text"] == "Voici la version balisée."


@pytest.mark.parametrize("name,content,words", [
    ("REQUEST.json", b"{pas du json", "demande d'accessibilité illisible"),
    ("notes.txt", b"x", "inattendu dans une sauvegarde"),
])
def test_a_damaged_or_unexpected_request_file_is_refused(saved, tmp_path, name, content, words):
    dest, request, _ = saved
    (dest / FOLDER / name.replace("REQUEST", request.id)).write_bytes(content)
    problems = backup.check(dest)
    assert any(words in p for p in problems), problems
    with pytest.raises(backup.BackupError):
        backup.restore(dest, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()
