"""Every incremental publication equals a full build of the same state, byte for
byte: real Pelican builds (production settings, search included), the real
store, over approvals, replies, rejections, deletions and content edits."""

from __future__ import annotations

import re

from publib import differences, sandbox

from publisher import Publisher


def test_each_publication_equals_a_full_build_of_the_same_state(tmp_path):
    box = sandbox(tmp_path)
    publisher = Publisher(box.options())
    first = publisher.full()
    article, other = box.thread_of_kind("article", 0), box.thread_of_kind("article", 3)
    event = box.thread_of_kind("event", 0)
    store = box.store
    kept = store.add(article, "Jeanne", "", "Premier avis <b>gras</b> ?", status="approved")
    gone = store.add(other, "Paul", "", "Sera refusé.", status="pending")

    def approve(thread, text):
        comment = store.add(thread, "Lucie", "", text, status="pending")
        store.move(comment.id, "approved")
        return comment

    second = approve(other, "Un deuxième avis.")
    store.move(gone.id, "approved")
    steps = [
        ("approval", {article, other}, lambda: None),
        ("event", {event}, lambda: approve(event, "Sur l'événement.")),
        ("reply", {article}, lambda: store.set_reply(kept.id, "Direction des routes",
                                                    "Merci, c'est noté.", "moderateur")),
        ("rejection", {other}, lambda: store.move(gone.id, "rejected", reason="hors-sujet")),
        ("deletion", {other}, lambda: store.delete(second.id)),
        ("reply removed", {article}, lambda: store.remove_reply(kept.id)),
    ]
    changed_pages = {}
    for name, threads, act in steps:
        act()
        result = publisher.comments(threads)
        assert result.kind == "comments" and result.release == first.release, name
        changed_pages[name] = result.replaced
        assert differences(box.current, box.full_build(name)) == [], name
    # Only what shows comments was replaced: no feed of articles, no search index.
    replaced = {path for paths in changed_pages.values() for path in paths}
    assert not [p for p in replaced if p.startswith(("pagefind/", "feeds/all", "feeds/categorie"))]
    assert any(re.match(r"\d{4}/\d\d/\d\d/", p) for p in changed_pages["reply"])


def test_a_content_edit_is_a_new_release_equal_to_a_full_build(tmp_path):
    box = sandbox(tmp_path)
    publisher = Publisher(box.options())
    first = publisher.full()
    source = sorted((box.content / "articles").glob("*.md"))[0]
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\n\n", "\n\nUn paragraphe ajouté par la rédaction.\n\n", 1),
                      encoding="utf-8")
    second = publisher.full()
    assert second.release != first.release
    assert "Un paragraphe ajouté" in "".join(
        p.read_text(encoding="utf-8") for p in box.current.rglob("index.html"))
    assert differences(box.current, box.full_build("edited")) == []
    # A comment after the edit is published from the cache of the new content.
    thread = box.thread_of_kind("article", 1)
    box.store.add(thread, "Marc", "", "Après la modification.", status="approved")
    assert publisher.comments({thread}).kind == "comments"
    assert differences(box.current, box.full_build("after")) == []


def test_a_body_edit_rerenders_its_page_and_the_search_index_follows(tmp_path):
    box = sandbox(tmp_path)
    publisher = Publisher(box.options())
    first = publisher.full()
    source = sorted((box.content / "articles").glob("*.md"))[2]
    text = source.read_text(encoding="utf-8")
    source.write_text(text.rstrip("\n") + "\n\nUne phrase ajoutée au corps.\n", encoding="utf-8")
    result = publisher.edit([source])
    assert result.kind == "edit" and result.release == first.release
    assert not [p for p in result.replaced if p.startswith(("pagefind/", "categorie/", "page/"))]
    full = box.full_build("body")
    stale = differences(box.current, full)
    assert stale and all(line.split(": ", 1)[1].startswith("pagefind/") for line in stale)
    search = publisher.search()  # what the running publisher does next
    assert search.kind == "search" and search.release == first.release
    assert search.replaced and all(p.startswith("pagefind/") for p in search.replaced)
    assert differences(box.current, box.full_build("body-then-search")) == []
    # A change of title is more than a body: a full publication.
    source.write_text(text.replace("Title: ", "Title: Nouveau titre : ", 1), encoding="utf-8")
    assert publisher.edit([source]).kind == "full"
    assert differences(box.current, box.full_build("title")) == []


def test_development_settings_too(tmp_path):
    """pelicanconf.py: empty SITEURL (plugins/absolute_urls fills it after the
    pages are written), drafts under brouillons/."""
    box = sandbox(tmp_path, base="pelicanconf")
    publisher = Publisher(box.options())
    publisher.full()
    event = box.thread_of_kind("event", 0)
    box.store.add(event, "Inès", "", "Sur l'événement, en développement.", status="approved")
    assert publisher.comments({event}).kind == "comments"
    assert differences(box.current, box.full_build("dev")) == []
    # An editor's change under `make serve`: the same fast path, then the index.
    source = sorted((box.content / "articles").glob("*.md"))[4]
    source.write_text(source.read_text(encoding="utf-8").rstrip("\n")
                      + "\n\nModifié en développement.\n", encoding="utf-8")
    assert publisher.edit([source]).kind == "edit"
    publisher.search()
    assert differences(box.current, box.full_build("dev-edit")) == []
