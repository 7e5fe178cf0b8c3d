"""The release folders and the served link (release/layout.py), on real files."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest

from release import ReleaseError, Releases, new_release_id
from release.layout import RELEASE_RE


def make(releases: Releases, release_id: str, text: str) -> str:
    folder = releases.folder / release_id
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return release_id


def test_ids_sort_by_age_and_never_collide():
    early = dt.datetime(2026, 1, 1, 12, tzinfo=dt.timezone.utc)
    ids = [new_release_id(early), new_release_id(early + dt.timedelta(milliseconds=1)),
           new_release_id(early + dt.timedelta(seconds=1))]
    assert ids == sorted(ids) and all(RELEASE_RE.fullmatch(i) for i in ids)  # within a second too
    assert RELEASE_RE.fullmatch("20261201T101500Z-3f9a1c")  # the first releases' names
    assert len({new_release_id(early) for _ in range(200)}) == 200


def test_a_reader_never_finds_the_site_missing_while_it_switches(tmp_path):
    releases = Releases(tmp_path)
    a = make(releases, "20260101T000000Z-aaaaaa", "A")
    b = make(releases, "20260101T000001Z-bbbbbb", "B")
    releases.switch(a)
    stop, seen, missing = threading.Event(), set(), []

    def read():
        while not stop.is_set():
            try:
                seen.add((releases.current / "index.html").read_text())
            except OSError as exc:
                missing.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(300):
        releases.switch(b if i % 2 == 0 else a)
    stop.set()
    reader.join()
    assert not missing and seen == {"A", "B"}
    assert os.readlink(releases.current) == "releases/" + a
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".current-")]


def test_prune_keeps_the_newest_and_the_served_one(tmp_path):
    releases = Releases(tmp_path)
    ids = [make(releases, f"2026010{i}T000000Z-00000{i}", str(i)) for i in range(1, 6)]
    releases.switch(ids[0])  # rolled back to the oldest
    removed = releases.prune(2)
    assert removed == ids[1:3]
    assert releases.ids() == [ids[0], *ids[3:]]
    assert releases.previous() is None and releases.current_id() == ids[0]


def test_unknown_release_and_leftover_builds(tmp_path):
    releases = Releases(tmp_path)
    with pytest.raises(ReleaseError, match="release inconnue"):
        releases.switch("20260101T000000Z-ffffff")
    staging = releases.staging("20260101T000000Z-cccccc")
    (staging / "index.html").write_text("à moitié", encoding="utf-8")
    assert releases.ids() == []  # a build in progress is not a release
    assert releases.sweep_staging() == [".building-20260101T000000Z-cccccc"]
    assert not staging.exists()


def test_promote_flushes_the_build_to_disk_before_the_rename(tmp_path, monkeypatch):
    """The build writes its files without an fsync each: promote syncs the
    staging folder's file system once, while it is still the staging folder."""
    from release import layout

    releases = Releases(tmp_path)
    staging = releases.staging("20260101T000000Z-dddddd")
    (staging / "index.html").write_text("complète", encoding="utf-8")
    synced = []
    libc = layout._LIBC
    assert libc is not None  # Linux: syncfs(2) is there
    monkeypatch.setattr(layout, "_LIBC", type("Libc", (), {
        "syncfs": staticmethod(lambda fd: synced.append(staging.exists()) or libc.syncfs(fd))}))
    assert releases.promote(staging) == "20260101T000000Z-dddddd"
    assert synced == [True] and not staging.exists()
    assert releases.ids() == ["20260101T000000Z-dddddd"]
    monkeypatch.setattr(layout, "_LIBC", None)  # no syncfs: sync(2) instead
    monkeypatch.setattr(os, "sync", lambda: synced.append("sync"))
    layout.sync_folder(releases.folder)
    assert synced == [True, "sync"]
