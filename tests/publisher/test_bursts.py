"""The running publisher (real watcher, real store, real builds): a burst of
approvals makes one or two publications, a change during a publication is
published by the next one, and what is watched is classified right."""

from __future__ import annotations

import contextlib
import threading
import time

from pelican import signals
from publib import sandbox

from publisher import Publisher
from publisher.__main__ import Loop
from publisher.watch import Pending, Sources, watch


@contextlib.contextmanager
def running(box):
    publisher = Publisher(box.options())
    pending, stop = Pending(), threading.Event()
    loop = Loop(publisher, pending, stop)
    sources = Sources(box.store.root, box.content, dev=False)
    watcher = threading.Thread(target=watch, args=(sources, pending, stop), daemon=True)
    runner = threading.Thread(target=loop.run, daemon=True)
    watcher.start()
    runner.start()
    try:
        wait_for(lambda: publisher.publications == 1, "the first publication")
        time.sleep(0.5)  # the watcher is ready
        yield publisher
    finally:
        stop.set()
        pending.wake()
        runner.join(60)
        watcher.join(10)


def wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def page_of(box, thread: str) -> str:
    url = box.threads()[thread]["url"]
    return (box.current / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_twenty_approvals_in_a_second_make_one_or_two_publications(tmp_path):
    box = sandbox(tmp_path)
    with running(box) as publisher:
        threads = [box.thread_of_kind("article", i) for i in range(4)]
        pending = [box.store.add(threads[i % 4], "Anne", "", f"Avis numéro {i} du lot.")
                   for i in range(20)]
        started = time.monotonic()
        for comment in pending:
            box.store.move(comment.id, "approved")
        assert time.monotonic() - started < 1.0
        wait_for(lambda: all(f"Avis numéro {i} du lot." in page_of(box, threads[i % 4])
                             for i in range(20)), "the twenty comments")
        time.sleep(2.0)  # nothing else comes
        assert publisher.publications - 1 in (1, 2)


def test_a_change_during_a_publication_is_published_by_the_next(tmp_path):
    box = sandbox(tmp_path)
    with running(box) as publisher:
        first_thread, late_thread = (box.thread_of_kind("article", i) for i in (0, 5))
        late = box.store.add(late_thread, "Zoé", "", "Arrivé pendant la publication.")
        approved_late = threading.Event()

        def approve_during_build(_generator, **_kwargs):
            # Called while the articles are written, after the store was read.
            if not approved_late.is_set():
                approved_late.set()
                box.store.move(late.id, "approved")

        signals.article_writer_finalized.connect(approve_during_build, weak=False)
        try:
            box.store.add(first_thread, "Yves", "", "Le premier avis.", status="approved")
            wait_for(approved_late.is_set, "the publication to start")
            wait_for(lambda: "Arrivé pendant la publication." in page_of(box, late_thread),
                     "the comment approved during the publication")
        finally:
            signals.article_writer_finalized.disconnect(approve_during_build)
        assert "Le premier avis." in page_of(box, first_thread)
        # The start, the first comment, then the one approved during its publication
        # (the page is replaced just before the count goes up).
        wait_for(lambda: publisher.publications == 3, "the count of publications")


def test_the_watched_paths_are_classified(tmp_path):
    box = sandbox(tmp_path)
    sources = Sources(box.store.root, box.content, dev=True)
    approved = box.store.folder("approved")
    change = sources.classify([approved / "budget-2014" / "x.json",
                               box.store.root / "replies" / "fete" / "y.json",
                               approved / "Not A Thread" / "z.json"])
    assert change.threads == {"budget-2014", "fete"} and not change.rebuild
    assert sources.classify([box.content / "articles" / "a.md"]).rebuild
    from publisher.watch import ROOT

    assert sources.classify([ROOT / "theme" / "templates" / "base.html"]).rebuild
    assert sources.classify([ROOT / "plugins" / "search" / "search.py"]).restart
    assert not sources.classify([ROOT / "plugins" / "search" / "__pycache__" / "x.pyc"])
    production = Sources(box.store.root, box.content, dev=False)
    assert not production.classify([ROOT / "theme" / "templates" / "base.html"])


def test_an_edited_body_is_published_in_place_then_indexed(tmp_path):
    from publib import differences

    box = sandbox(tmp_path)
    with running(box) as publisher:
        release = box.current.resolve()
        source = sorted((box.content / "articles").glob("*.md"))[1]
        source.write_text(source.read_text(encoding="utf-8").rstrip("\n")
                          + "\n\nUne phrase relue par le watcher.\n", encoding="utf-8")
        wait_for(lambda: publisher.publications >= 3, "the edit, then the search index")
        time.sleep(1.0)  # nothing else comes
        assert publisher.publications == 3
        assert box.current.resolve() == release  # in place: no new release
        assert "Une phrase relue par le watcher." in "".join(
            p.read_text(encoding="utf-8") for p in box.current.glob("20*/**/index.html"))
    assert differences(box.current, box.full_build("watched-edit")) == []
