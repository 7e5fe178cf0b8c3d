"""The comments plugin keeps no state between builds run in one process, and
writes the threads manifest (with each thread's kind) only for a build that
got as far as writing its pages."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from comment_service.store import CommentStore

SEED = "inventer-les-services-publics-de-demain"
SEED_URL = f"/2014/06/12/{SEED}/"
EXTRA = "un-article-de-plus"


def manifest(site) -> dict:
    return json.loads((site.output / "comment-threads.json").read_text(encoding="utf-8"))["threads"]


def comment_count(site, url) -> int:
    return len(site.soup(url).select("#commentaires .comment"))


@pytest.fixture
def store(tmp_path):
    store = CommentStore(tmp_path / "store")
    for n in range(2):
        c = store.add(SEED, f"Lecteur {n}", "", "Bien vu.", now=datetime(2014, 6, 13, n, tzinfo=timezone.utc))
        store.move(c.id, "approved")
    return store


def test_two_builds_in_one_process_share_nothing(build_site, store, content_copy, tmp_path):
    (content_copy / "articles" / f"2014-06-20-{EXTRA}.md").write_text(
        "Title: Un article de plus\nDate: 2014-06-20\nCategory: Institution\nSummary: Chapô.\n\nTexte.\n",
        encoding="utf-8")
    first = build_site(content=content_copy, COMMENTS_STORE=str(store.root))
    assert comment_count(first, SEED_URL) == 2 and EXTRA in manifest(first)

    second = build_site(COMMENTS_STORE=str(tmp_path / "no-store-here"))
    assert comment_count(second, SEED_URL) == 0
    threads = manifest(second)
    assert EXTRA not in threads and SEED in threads
    assert "2 commentaires" not in second.html("/")
    # The first build's output is its own.
    assert EXTRA in manifest(first) and comment_count(first, SEED_URL) == 2


def test_a_build_run_inside_another_leaves_it_its_manifest(build_site, store, content_copy, tmp_path):
    """A second build runs *inside* the first (from get_writer: after the outer one
    attached its comments and listed its threads, before it writes them), as a
    process building two sites would interleave them."""
    from pelican import signals

    (content_copy / "articles" / f"2014-06-20-{EXTRA}.md").write_text(
        "Title: Un article de plus\nDate: 2014-06-20\nCategory: Institution\nSummary: Chapô.\n\nTexte.\n",
        encoding="utf-8")
    inner = {}

    def build_inner(_pelican, **_):
        if not inner:
            inner["started"] = True
            inner["site"] = build_site(COMMENTS_STORE=str(tmp_path / "no-store-here"))

    signals.get_writer.connect(build_inner)
    try:
        outer = build_site(content=content_copy, COMMENTS_STORE=str(store.root))
    finally:
        signals.get_writer.disconnect(build_inner)
    assert EXTRA in manifest(outer) and comment_count(outer, SEED_URL) == 2
    assert EXTRA not in manifest(inner["site"]) and comment_count(inner["site"], SEED_URL) == 0


def test_a_failed_build_writes_no_manifest_and_the_next_one_is_whole(build_site, store, tmp_path):
    from pelican.settings import DEFAULT_CONFIG
    from pelican.generators import PelicanTemplateNotFound

    broken = [*DEFAULT_CONFIG["DIRECT_TEMPLATES"], "no-such-template"]
    with pytest.raises(PelicanTemplateNotFound):
        build_site(COMMENTS_STORE=str(store.root), DIRECT_TEMPLATES=broken)
    assert not (tmp_path / "output1" / "comment-threads.json").exists()
    site = build_site(COMMENTS_STORE=str(tmp_path / "no-store-here"))
    assert SEED in manifest(site) and comment_count(site, SEED_URL) == 0


def test_manifest_entries_say_article_or_event(dev_site):
    threads = manifest(dev_site)
    assert {info["kind"] for info in threads.values()} == {"article", "event"}
    for thread, info in threads.items():
        expected = "event" if info["url"].startswith("/agenda/") else "article"
        assert info["kind"] == expected, (thread, info)


def test_the_plugin_keeps_no_mutable_state_at_module_level():
    import comments.comments
    import comments.manifest
    import comments.published

    for module in (comments.comments, comments.manifest, comments.published):
        mutable = [name for name, value in vars(module).items()
                   if not name.startswith("__") and isinstance(value, (dict, list, set, bytearray))]
        assert mutable == [], (module.__name__, mutable)
