"""The store's read API, its one policy for damaged files, the tmp/ sweep and
round trips (generated inputs: any comment validation accepts comes back
identical)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from comment_service.rules import validation
from comment_service.store import (SWEEP_INTERVAL, TMP_MAX_AGE, Comment, CommentStore, DamagedComment,
                                   StoreReader, is_comment_id, is_thread_id)

from comment_testlib import THREAD

OTHER = "autre-article"
T0 = datetime(2026, 11, 26, 10, 15, 30, tzinfo=timezone.utc)


class Reports:
    """The on_damaged callback: collects (path, reason)."""

    def __init__(self):
        self.items: list[tuple[Path, str]] = []

    def __call__(self, path, reason):
        self.items.append((path, reason))

    @property
    def names(self) -> list[str]:
        return sorted(p.name for p, _ in self.items)


@pytest.fixture
def reports():
    return Reports()


def add(store, thread, name, minutes, status="approved"):
    return store.add(thread, name, "", f"texte de {name}", status, now=T0 + timedelta(minutes=minutes))


def test_approved_is_oldest_first_and_only_approved(tmp_path):
    store = CommentStore(tmp_path)
    late = add(store, THREAD, "late", 10)
    early = add(store, THREAD, "early", 1)
    add(store, THREAD, "waiting", 5, status="pending")
    add(store, OTHER, "elsewhere", 2)
    assert [c.id for c in store.approved(THREAD)] == [early.id, late.id]
    assert all(c.status == "approved" for c in store.approved(THREAD))
    assert store.approved("no-such-thread") == []
    assert store.approved("../pending") == [] and store.approved(THREAD + "\n") == []


def test_threads_with_and_iter_comments(tmp_path):
    store = CommentStore(tmp_path)
    a = add(store, THREAD, "a", 3, status="pending")
    b = add(store, OTHER, "b", 1)
    c = add(store, THREAD, "c", 2)
    moved = add(store, "vide", "d", 4)
    store.delete(moved.id)  # leaves an empty thread folder
    assert store.threads_with() == {THREAD, OTHER}
    assert store.threads_with("pending") == {THREAD} and store.threads_with("rejected") == set()
    assert [x.id for x in store.iter_comments()] == [a.id, b.id, c.id]  # state, then thread
    assert [x.id for x in store.iter_comments("approved")] == [b.id, c.id]
    assert [x.id for x in store.iter_comments(thread=THREAD)] == [a.id, c.id]
    assert [x.id for x in store.list(None)] == [b.id, c.id, a.id]  # oldest first
    with pytest.raises(ValueError):
        list(store.iter_comments(thread="../x"))
    with pytest.raises(ValueError):
        list(store.iter_comments("published"))


def test_folder_names_the_state_folder(tmp_path):
    store = CommentStore(tmp_path)
    assert store.folder("approved") == tmp_path / "approved"
    assert add(store, THREAD, "a", 0).id in {p.stem for p in store.folder("approved").glob("*/*.json")}
    for bad in ("tmp", "../approved", "Approved", ""):
        with pytest.raises(ValueError):
            store.folder(bad)


def test_reading_an_empty_or_missing_store(tmp_path, reports):
    store = StoreReader(tmp_path / "absent", on_damaged=reports)
    assert store.list(None) == [] and store.threads_with() == set() and store.approved(THREAD) == []
    assert reports.items == []


def _comment_dict(comment_id, thread=THREAD, **changes):
    data = {"id": comment_id, "thread": thread, "name": "n", "email": "", "text": "t",
            "created_at": "2026-11-26T10:15:30Z", "status": "approved"}
    data.update(changes)
    return data


DAMAGED = {
    # file name stem -> (content, words of the reason)
    "20261126T101530000001Z-000000000001": (b"{ pas du json", "not JSON"),
    "20261126T101530000002Z-000000000002": ("{}".encode("utf-16"), "not UTF-8"),
    "20261126T101530000003Z-000000000003": (b'["a list"]', "not a JSON object"),
    "20261126T101530000004Z-000000000004": (b"", "not JSON"),
    "20261126T101530000005Z-000000000005": ("no text", "'text' missing"),
    "20261126T101530000006Z-000000000006": ("name 42", "'name' missing or not a string"),
    "20261126T101530000007Z-000000000007": ("wrong id", "is not its file name"),
    "20261126T101530000008Z-000000000008": ("wrong thread", "is not its folder"),
    "20261126T101530000009Z-000000000009": ("bad date", "invalid created_at"),
    "20261126T101530000010Z-000000000010": ("bad status", "invalid status"),
    "20261126T101530000011Z-000000000011": ("surrogate", "lone surrogate"),
    "20261126T101530000012Z-000000000012": ("date newline", "invalid created_at"),
}


def _damaged_bytes(stem, content):
    if isinstance(content, bytes):
        return content
    data = _comment_dict(stem)
    if content == "no text":
        del data["text"]
    elif content == "name 42":
        data["name"] = 42
    elif content == "wrong id":
        data["id"] = "20261126T101530000099Z-000000000099"
    elif content == "wrong thread":
        data["thread"] = OTHER
    elif content == "bad date":
        data["created_at"] = "2026-13-45T10:15:30Z"
    elif content == "date newline":
        data["created_at"] = "2026-11-26T10:15:30Z\n"
    elif content == "bad status":
        data["status"] = "published"
    elif content == "surrogate":
        return json.dumps(data).replace('"n"', '"\\ud800"').encode()
    return json.dumps(data).encode()


@pytest.fixture
def damaged_store(tmp_path):
    """A store with two good approved comments and every kind of damage beside them."""
    store = CommentStore(tmp_path)
    good = [add(store, THREAD, "first", 1), add(store, THREAD, "second", 2)]
    folder = tmp_path / "approved" / THREAD
    for stem, (content, _words) in DAMAGED.items():
        (folder / f"{stem}.json").write_bytes(_damaged_bytes(stem, content))
    (folder / "20140613T000000Z-broken.json").write_text("{}")  # not an id of the store's shape
    (folder / "notes.txt").write_text("hello")
    (folder / ".hidden.json.swp").write_text("editor")  # dot names: ignored silently
    (tmp_path / "approved" / "Not-A-Thread").mkdir()
    (tmp_path / "approved" / "stray.json").write_text("{}")
    (folder / "20261126T101530000013Z-000000000013.json").mkdir()  # a folder with a comment's name
    return store, good


def test_every_damaged_file_is_reported_with_its_path_and_skipped(damaged_store, reports, caplog):
    store, good = damaged_store
    reader = CommentStore(store.root, on_damaged=reports)
    with caplog.at_level(logging.WARNING, logger="comment_service.store"):
        found = reader.approved(THREAD)
    assert [c.id for c in found] == [c.id for c in good]
    reasons = {p.stem: reason for p, reason in reports.items}
    for stem, (_content, words) in DAMAGED.items():
        assert words in reasons[stem], (stem, reasons[stem])
    assert "20140613T000000Z-broken.json" in reports.names and "notes.txt" in reports.names
    assert "20261126T101530000013Z-000000000013.json" in reports.names
    assert not any(".hidden" in n for n in reports.names)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for path, _reason in reports.items:
        assert str(path) in logged
    assert all(p.parent == store.root / "approved" / THREAD for p, _ in reports.items)


def test_iteration_reports_stray_folders_too(damaged_store, reports):
    store, good = damaged_store
    reader = StoreReader(store.root, on_damaged=reports)
    assert [c.id for c in reader.list(None)] == [c.id for c in good]
    assert {"Not-A-Thread", "stray.json"} <= set(reports.names)
    assert reader.threads_with() == {THREAD}


def test_get_of_a_damaged_comment_raises_damaged_comment(damaged_store):
    store, _good = damaged_store
    stem = "20261126T101530000001Z-000000000001"
    with pytest.raises(DamagedComment) as info:
        store.get(stem)
    assert info.value.path == store.root / "approved" / THREAD / f"{stem}.json"
    assert "not JSON" in str(info.value)


def test_an_unreadable_file_is_reported(tmp_path, reports):
    """A name that cannot be read as a file (here a folder, which even root
    cannot read as one) is reported with the OS's reason and skipped."""
    store = CommentStore(tmp_path, on_damaged=reports)
    kept = add(store, THREAD, "a", 0)
    path = tmp_path / "approved" / THREAD / "20261126T101530000001Z-000000000001.json"
    path.mkdir()
    assert [c.id for c in store.approved(THREAD)] == [kept.id]
    assert reports.items == [(path, "cannot read: Is a directory")]


# --- the tmp/ sweep ----------------------------------------------------------

def _tmp_file(store, name, age):
    store.tmp.mkdir(parents=True, exist_ok=True)
    path = store.tmp / name
    path.write_text('{"name": "a visitor", "email": "v@example.org"}')
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def test_sweep_removes_old_files_and_keeps_live_ones(tmp_path, caplog):
    store = CommentStore(tmp_path)
    old = _tmp_file(store, "20261126T101530123456Z-0123456789ab.1a2b3c4d.tmp", TMP_MAX_AGE + 60)
    fresh = _tmp_file(store, "20261126T111530123456Z-0123456789ab.5e6f7a8b.tmp", 5)
    almost = _tmp_file(store, "almost.tmp", TMP_MAX_AGE - 60)
    (store.tmp / "a-folder").mkdir()
    os.utime(store.tmp / "a-folder", (0, 0))
    with caplog.at_level(logging.WARNING, logger="comment_service.store"):
        assert store.sweep_tmp() == [old]
    assert not old.exists() and fresh.exists() and almost.exists() and (store.tmp / "a-folder").is_dir()
    assert str(old) in caplog.text
    assert store.sweep_tmp(max_age=30) == [almost]
    assert store.sweep_tmp() == [] and fresh.exists()


def test_sweep_of_a_missing_store_is_harmless(tmp_path):
    assert CommentStore(tmp_path / "absent").sweep_tmp() == []


def test_add_sweeps_now_and_then(tmp_path, monkeypatch):
    store = CommentStore(tmp_path)
    first = _tmp_file(store, "killed-1.tmp", 2 * TMP_MAX_AGE)
    add(store, THREAD, "a", 0)
    assert not first.exists(), "the first add() of a process sweeps"
    second = _tmp_file(store, "killed-2.tmp", 2 * TMP_MAX_AGE)
    add(store, THREAD, "b", 1)
    assert second.exists(), "not at every add()"
    clock = time.monotonic() + SWEEP_INTERVAL + 1
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    add(store, THREAD, "c", 2)
    assert not second.exists(), "again once the interval has passed"
    assert len(store.list("approved")) == 3


# --- round trips (Hypothesis) -----------------------------------------------

# Odd but acceptable strings, then generated ones (mostly acceptable: controls, lone
# surrogates and the separators validation refuses are left out of the alphabet).
ODD = ["Zoé", "e\u0301", "👩\u200d👩\u200d👧", "مرحبا", "שלום עולם", "\ufeffBOM", "a\u200bb", "\\\"'<>&",
       "{{ 7*7 }}", "💩" * 40, "ǅ ﬁ Ⅻ", "\U0010fffd", "x\ny\r\nz\tw", "null", "\u00a0espace\u00a0"]
SAFE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
NAMES = st.one_of(st.sampled_from(ODD), st.text(SAFE, min_size=1, max_size=80))
TEXTS = st.one_of(st.sampled_from(ODD), st.text(st.one_of(SAFE, st.sampled_from("\n\r\t")), min_size=1,
                                                 max_size=500))
EMAILS = st.one_of(st.just(""), st.emails())
THREADS = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                HealthCheck.filter_too_much])


@ROUND_TRIP
@given(name=NAMES, email=EMAILS, text=TEXTS, thread=THREADS, status=st.sampled_from(["pending", "approved"]))
def test_what_validation_accepts_comes_back_identical(name, email, text, thread, status):
    submission, errors = validation.validate({"name": name, "email": email, "text": text})
    assume(not errors)
    with tempfile.TemporaryDirectory() as root:
        store = CommentStore(root)
        stored = store.add(thread, submission.name, submission.email, submission.text, status)
        again = store.get(stored.id)
        assert again == stored
        assert (again.name, again.email, again.text) == (submission.name, submission.email, submission.text)
        assert store.list(status, thread) == [stored]
        if status == "approved":
            assert store.approved(thread) == [stored] and store.threads_with() == {thread}
        assert json.loads(Path(root, status, thread, f"{stored.id}.json").read_bytes()) == {
            "id": stored.id, "thread": thread, "name": submission.name, "email": submission.email,
            "text": submission.text, "created_at": stored.created_at, "status": status}


@ROUND_TRIP
@given(name=NAMES, text=TEXTS)
def test_odd_unicode_survives_moderation(name, text):
    """Any string without lone surrogates, stored, approved and read back."""
    with tempfile.TemporaryDirectory() as root:
        store = CommentStore(root)
        stored = store.add(THREAD, name, "", text)
        store.move(stored.id, "approved")
        (back,) = store.approved(THREAD)
        assert (back.name, back.text, back.id, back.created_at) == (name, text, stored.id, stored.created_at)


@settings(max_examples=200, deadline=None)
@given(content=st.one_of(
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(["id", "thread", "name", "email", "text", "created_at", "status", "x"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=30), st.lists(st.integers())))
    .map(lambda d: json.dumps(d).encode()),
))
def test_no_file_content_makes_reading_raise(content):
    """Whatever a comment file holds, reading reports it or returns a valid comment."""
    stem = "20261126T101530000001Z-000000000001"
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root, "approved", THREAD)
        folder.mkdir(parents=True)
        (folder / f"{stem}.json").write_bytes(content)
        reports = Reports()
        found = CommentStore(root, on_damaged=reports).approved(THREAD)
        assert len(found) + len(reports.items) == 1
        for comment in found:
            assert isinstance(comment, Comment) and is_comment_id(comment.id) and is_thread_id(comment.thread)
            comment.to_json().decode("utf-8")  # can be written again
