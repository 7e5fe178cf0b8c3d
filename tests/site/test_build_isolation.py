"""Two builds in one process do not leak into each other.

Our plugins keep what one build collects (editorial problems, the pages to
index) in that build's settings, not in module globals. To prove it, a second
build runs *inside* the first one (from one of its signals), as a process that
builds two sites would interleave them: with module-level state the inner
build would wipe or replace what the outer one had collected.
"""

from __future__ import annotations

import json

import pytest
from pelican import signals

from editorial import ContentError, problems_of, record_problem

BROKEN = """Title: Un article à la catégorie inconnue
Date: 2020-01-01
Category: Rubrique inexistante
Summary: Un chapô.

Du texte.
"""
FAR_FUTURE = """Title: Un article daté de 2099
Date: 2099-01-01
Category: Institution
Summary: Un chapô.

Un article que seule la première construction contient.
"""


def build_inside(signal, build):
    """Run `build()` once, from the first `signal` the outer build sends."""
    done = {}

    def receiver(sender, **_):
        if not done:
            done["started"] = True
            done["site"] = build()

    signal.connect(receiver)
    return done, receiver


def test_editorial_problems_belong_to_their_build(build_site, content_copy):
    (content_copy / "articles" / "zz-casse.md").write_text(BROKEN, encoding="utf-8")
    inner, receiver = build_inside(signals.article_generator_finalized, build_site)
    try:
        with pytest.raises(ContentError) as failure:
            build_site(content=content_copy)  # the outer build: broken content
    finally:
        signals.article_generator_finalized.disconnect(receiver)
    assert "zz-casse.md" in str(failure.value) and "Rubrique inexistante" in str(failure.value)
    # The inner build, with the real content, ran in the middle and succeeded.
    assert inner["site"].path("/").is_file()
    # And a build that follows a failed one is not failed by its leftovers.
    assert build_site().path("/").is_file()


def test_problems_are_recorded_per_settings():
    first, second = {}, {}
    record_problem(first, "content/articles/a.md", "title", "obligatoire")
    assert list(problems_of(first).values()) == [[("title", "obligatoire")]]
    assert not problems_of(second)


def _page_count(site) -> int:
    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text())
    return entry["languages"]["fr"]["page_count"]


def test_each_build_indexes_its_own_pages(build_site, content_copy):
    (content_copy / "articles" / "zz-futur.md").write_text(FAR_FUTURE, encoding="utf-8")
    # get_writer: after the outer build listed its pages, before it indexes them.
    inner, receiver = build_inside(signals.get_writer, build_site)
    try:
        # "now" after 2099: the article is due (plugins/schedule holds future ones).
        outer = build_site(content=content_copy, SCHEDULE_NOW="2100-01-01")
    finally:
        signals.get_writer.disconnect(receiver)
    assert outer.path("/2099/01/01/un-article-date-de-2099/").is_file()
    assert _page_count(outer) == _page_count(inner["site"]) + 1, \
        "the outer build indexed the inner build's pages"
