"""An editor's change to a body: the file is read again into the publisher's
kept page data (publisher/reread.py) and only what shows it is re-rendered.
Real Pelican builds (production settings) of a copy of the site's content;
the result is compared byte for byte with a cold full build of the same
state, and a body the build refuses leaves the served release as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from publib import differences, sandbox

from publisher import Publisher
from release import BuildFailed

ARTICLE = "articles/2015-01-12-trophees-innovation-publique.md"
EVENT = "events/2027-01-15-voeux-du-departement.md"
PAGE = "pages/accessibilite.md"
DRAFT = "articles/brouillon-budget.md"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def append(path: Path, text: str) -> str:
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")
    return before


def only_search_differs(box, name: str) -> None:
    stale = differences(box.current, box.full_build(name))
    assert all(line.split(": ", 1)[1].startswith("pagefind/") for line in stale), stale


@pytest.fixture
def box(tmp_path):
    box = sandbox(tmp_path)
    (box.content / DRAFT).write_text(
        "Title: Budget à venir\nDate: 2015-01-20 10:00\nCategory: Institution\n"
        "Summary: Pas encore publié.\nStatus: draft\n\nEn préparation.\n", encoding="utf-8")
    return box


def test_an_article_an_event_and_a_page_get_their_new_bodies_and_nothing_else(box):
    publisher = Publisher(box.options())
    first = publisher.full()
    sources = [box.content / name for name in (ARTICLE, EVENT, PAGE)]
    append(sources[0], "Un paragraphe ajouté : avec [un lien]({filename}/pages/accessibilite.md) "
                       "et une espace avant les deux-points.")
    append(sources[1], "Une navette gratuite partira de la gare ; inscrivez-vous !")
    append(sources[2], "## Mise à jour\n\nUne section ajoutée à la page.")
    result = publisher.edit(sources)
    assert result.kind == "edit" and result.release == first.release
    replaced = set(result.replaced)
    assert "2015/01/12/six-projets-retenus-par-le-zip-val-doise-pour-2015/index.html" in replaced
    assert "accessibilite/index.html" in replaced
    assert any(p.endswith(".ics") for p in replaced)  # the event's calendar carries its text
    assert any(p.startswith("feeds/") for p in replaced)  # the newest article's Atom entry
    # No listing shows a body (cards show the summary), nor the search index yet.
    assert not [p for p in replaced if p.startswith(("pagefind/", "categorie/", "etiquette/",
                                                     "page/"))] and "index.html" not in replaced
    page = (box.current / "accessibilite/index.html").read_text(encoding="utf-8")
    assert "Une section ajoutée à la page." in page
    only_search_differs(box, "three-bodies")
    # Then the search index, in the served release: equal to a full build's.
    assert publisher.search().release == first.release
    assert differences(box.current, box.full_build("three-bodies-indexed")) == []


def test_reading_an_unchanged_file_again_replaces_no_file(box):
    publisher = Publisher(box.options())
    publisher.full()
    source = box.content / ARTICLE
    source.touch()
    result = publisher.edit([source])
    assert result.kind == "edit" and result.replaced == []


MISTAKES = {
    "missing link target": "Voir [le bilan]({filename}/articles/bilan-introuvable.md).",
    "link to a draft": f"Voir [le budget à venir]({{filename}}/{DRAFT}).",
    "script": "<script>alert('x')</script>",
    "missing image": "![Plan]({static}/images/plan-introuvable.png)",
}
#: Root-relative addresses and anchors are judged in the built pages: the
#: re-rendered ones are checked before they replace the served ones.
IN_PAGES = {
    "broken site address": "Voir [l'agenda](/agenda-introuvable/).",
    "missing anchor": "Voir [plus haut](#section-introuvable).",
}
MISTAKES.update(IN_PAGES)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_body_the_build_refuses_changes_nothing_live(box, mistake):
    publisher = Publisher(box.options())
    publisher.full()
    before = snapshot(box.current)
    source = box.content / ARTICLE
    original = append(source, MISTAKES[mistake])
    with pytest.raises(BuildFailed) as refused:
        publisher.edit([source])
    assert "2015-01-12-trophees-innovation-publique.md" in str(refused.value)
    assert "rien n'a été publié" in str(refused.value)
    if mistake in IN_PAGES:
        assert "lien cassé dans les pages modifiées" in str(refused.value)
    assert snapshot(box.current) == before
    # Fixed, the same publisher takes the fast path again: nothing it kept was touched.
    source.write_text(original.rstrip("\n") + "\n\nCorrigé par la rédaction.\n", encoding="utf-8")
    assert publisher.edit([source]).kind == "edit"
    only_search_differs(box, "fixed")


def test_an_anchor_the_edit_adds_is_a_good_link(box):
    publisher = Publisher(box.options())
    publisher.full()
    source = box.content / ARTICLE
    append(source, "## Calendrier {#calendrier}\n\nVoir [le calendrier](#calendrier).")
    assert publisher.edit([source]).kind == "edit"
    only_search_differs(box, "anchor")


def test_a_new_summary_or_title_rerenders_what_shows_the_article(box):
    """Its address unchanged (a Slug: line keeps it when the title changes):
    its page, the listings with its card, the archives, its neighbours' pages,
    the feeds and the threads manifest; equal to a full build."""
    source = box.content / ARTICLE
    text = source.read_text(encoding="utf-8").replace("Summary: ", "Slug: six-projets\nSummary: ", 1)
    source.write_text(text, encoding="utf-8")
    publisher = Publisher(box.options())
    first = publisher.full()
    steps = {
        "summary": text.replace("Summary: ", "Summary: Nouveau chapô : ", 1),
        "title": text.replace("Title: ", "Title: Sept projets, pas six : ", 1),
    }
    for name, changed in steps.items():
        source.write_text(changed, encoding="utf-8")
        result = publisher.edit([source])
        assert result.kind == "edit" and result.release == first.release, name
        replaced = set(result.replaced)
        assert {"2015/01/12/six-projets/index.html", "index.html",
                "feeds/all.atom.xml"} <= replaced, (name, sorted(replaced))
        assert any(p.startswith("categorie/") for p in replaced), name
        if name == "title":  # the archives and the neighbours show titles, not summaries
            assert {"archives/index.html", "comment-threads.json"} <= replaced
            assert any(p.startswith("2014/12/02/") for p in replaced)  # the previous article
        only_search_differs(box, name)
        publisher.search()
        assert differences(box.current, box.full_build(f"{name}-indexed")) == [], name
        text = changed


def test_a_refused_title_leaves_nothing_of_it_in_the_kept_pages(box):
    """A new title whose page has a broken link is refused; the page published
    next for a comment shows the old title everywhere (its JSON-LD too)."""
    source = box.content / ARTICLE
    text = source.read_text(encoding="utf-8").replace("Summary: ", "Slug: six-projets\nSummary: ", 1)
    source.write_text(text, encoding="utf-8")
    publisher = Publisher(box.options())
    publisher.full()
    source.write_text(text.replace("Title: ", "Title: Sept projets : ", 1).rstrip("\n")
                      + "\n\nVoir [l'agenda](/agenda-introuvable/).\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        publisher.edit([source])
    box.store.add("six-projets", "Inès", "", "Un avis après le refus.", status="approved")
    assert publisher.comments({"six-projets"}).kind == "comments"
    page = (box.current / "2015/01/12/six-projets/index.html").read_text(encoding="utf-8")
    assert "Un avis après le refus." in page and "Sept projets" not in page


def test_a_changed_field_a_new_file_or_a_draft_made_public_is_a_full_publication(box):
    publisher = Publisher(box.options())
    first = publisher.full()
    source = box.content / ARTICLE
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Tags: ", "Tags: solidarité, ", 1), encoding="utf-8")
    second = publisher.edit([source])
    assert second.kind == "full" and second.release != first.release
    # A title that makes a new address (no Slug: line): a full publication too.
    source.write_text(text.replace("Title: ", "Title: Sept projets : ", 1), encoding="utf-8")
    assert publisher.edit([source]).kind == "full"
    new = box.content / "articles/nouvel-article.md"
    new.write_text("Title: Un nouvel article\nDate: 2015-02-01 10:00\nCategory: Institution\n"
                   "Summary: Nouveau.\n\nCorps.\n", encoding="utf-8")
    assert publisher.edit([new]).kind == "full"
    draft = box.content / DRAFT
    draft.write_text(draft.read_text(encoding="utf-8").replace("Status: draft\n", ""),
                     encoding="utf-8")
    assert publisher.edit([draft]).kind == "full"
    assert differences(box.current, box.full_build("fields")) == []


def test_after_a_rollback_the_next_publication_is_a_full_one(box):
    """The kept page data belong to the release they built: rendering them
    into another one (switched by `make rollback`) would mix two states."""
    from release import Releases

    publisher = Publisher(box.options())
    first = publisher.full()
    publisher.full()
    Releases(box.root).switch(first.release)
    thread = box.thread_of_kind("article", 2)
    box.store.add(thread, "Rémi", "", "Après le retour en arrière.", status="approved")
    result = publisher.comments({thread})
    assert result.kind == "full" and result.release != first.release
    assert differences(box.current, box.full_build("after-rollback")) == []


def test_an_edit_makes_the_automated_checks_stale_by_a_full_publication(box):
    """The statement shows the figures of `make a11y-report` while the
    sources are the ones checked: a body edit cannot keep them on the page."""
    from support import squash, write_checks_record

    write_checks_record(box.content, {"vnu": {"version": "26.9.27", "tests": 1, "passed": 1,
                                              "failed": 0, "skipped": 0, "pages": 70,
                                              "errors": 0}})
    publisher = Publisher(box.options())
    publisher.full()

    def statement() -> str:
        return squash((box.current / "accessibilite/index.html").read_text(encoding="utf-8"))

    assert "70 pages contrôlées, aucune erreur" in statement()
    append(box.content / ARTICLE, "Un paragraphe ajouté.")
    assert publisher.edit([box.content / ARTICLE]).kind == "full"
    assert "70 pages contrôlées" not in statement()
    assert "Vérifications automatiques non effectuées pour cette version du site." in statement()
    # Stale already: the next edit takes the fast path again.
    append(box.content / ARTICLE, "Un autre paragraphe.")
    assert publisher.edit([box.content / ARTICLE]).kind == "edit"
