"""The threads manifest as the service reads it (comment_service.web.threads)."""

from __future__ import annotations

import json
import logging

import pytest

from comment_service.web.threads import Thread, ThreadIndex, parse_manifest


def manifest(**threads) -> bytes:
    return json.dumps({"version": 1, "threads": threads}).encode()


def test_kind_is_read_and_defaults_to_article():
    threads = parse_manifest(manifest(
        a={"url": "/2014/06/12/a/", "title": "A", "open": True, "kind": "article"},
        e={"url": "/agenda/e/", "title": "E", "open": False, "kind": "event"},
        old={"url": "/2013/01/01/old/", "title": "Old"},
    ))
    assert threads == {
        "a": Thread("a", "/2014/06/12/a/", "A", True, "article"),
        "e": Thread("e", "/agenda/e/", "E", False, "event"),
        "old": Thread("old", "/2013/01/01/old/", "Old", True, "article"),
    }


@pytest.mark.parametrize("entry", [
    {"url": "/x/", "kind": "page"}, {"url": "/x/", "kind": None}, {"url": "/x/", "kind": ["event"]},
    {"url": "//evil.example/"}, {"url": "/x/", "open": "yes"},
])
def test_bad_entries_are_skipped(entry, caplog):
    with caplog.at_level(logging.WARNING, logger="comment_service.web.threads"):
        assert parse_manifest(manifest(x=entry, good={"url": "/g/"})) == {"good": Thread("good", "/g/", "", True)}
    assert "skipping thread x" in caplog.text


@pytest.mark.parametrize("tid", ["abc\n", "ABC", "../x", "a" * 121, ""])
def test_thread_ids_must_have_the_store_shape(tid):
    assert parse_manifest(manifest(**{tid: {"url": "/x/"}})) == {}


def test_index_reads_the_file_again_when_it_changes(tmp_path):
    path = tmp_path / "threads.json"
    index = ThreadIndex(path)
    assert index.get("a") is None
    path.write_bytes(manifest(a={"url": "/a/", "kind": "event"}))
    assert index.get("a").kind == "event"
    path.write_bytes(manifest(a={"url": "/a/", "title": "changed, longer"}))
    assert index.get("a") == Thread("a", "/a/", "changed, longer", True, "article")
