"""Approved comments on the built site (plugins/comments), and the manifest.

Comments are written with the service's real store and moved with its real
moderation API, then the real content/ is built with Pelican.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from comment_service.store import CommentStore
from support import ROOT

SEED = "inventer-les-services-publics-de-demain"
SEED_URL = f"/2014/06/12/{SEED}/"
HOSTILE = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '"><svg onload=alert(1)>',
    "{{ 7*7 }} {% raw %}",
    "' OR 1=1 --",
]


def approved(store: CommentStore, thread: str, name: str, text: str, when: datetime):
    comment = store.add(thread, name, "lecteur@example.org", text, now=when)
    store.move(comment.id, "approved")
    return comment


@pytest.fixture
def store(tmp_path):
    return CommentStore(tmp_path / "store")


def comment_items(site):
    return site.soup(SEED_URL).select("#commentaires .comment")


def test_approved_comments_appear_oldest_first_with_french_date(build_site, store):
    late = approved(store, SEED, "Bernard", "Deuxième avis.",
                    datetime(2014, 6, 14, 8, 5, tzinfo=timezone.utc))
    early = approved(store, SEED, "Amélie", "Premier avis.\nSur deux lignes.\n\nEt un paragraphe.",
                     datetime(2014, 6, 13, 16, 30, tzinfo=timezone.utc))
    pending = store.add(SEED, "Claude", "", "Pas encore modéré.")
    site = build_site(COMMENTS_STORE=str(store.root))
    soup = site.soup(SEED_URL)
    assert soup.select_one("#commentaires-titre").get_text() == "Commentaires (2)"
    items = comment_items(site)
    assert [i["id"] for i in items] == [f"commentaire-{early.id}", f"commentaire-{late.id}"]
    first = items[0]
    assert first.select_one(".comment__author").get_text() == "Amélie"
    # 16:30 UTC is 18:30 in Paris in June.
    assert "13 juin 2014 à 18\u00a0h\u00a030" in first.select_one("time").get_text()
    assert first.select_one("time")["datetime"].startswith("2014-06-13T18:30:00+02:00")
    paragraphs = first.select(".comment__text p")
    assert len(paragraphs) == 2
    # « Signaler ce commentaire »: the service's report page, under each published comment.
    assert [i.select_one(".comment__report a")["href"] for i in items] == [
        f"/commentaires/signaler/{early.id}", f"/commentaires/signaler/{late.id}"]
    assert first.select_one(".comment__report a").get_text() == "Signaler ce commentaire écrit par Amélie"
    assert len(paragraphs[0].find_all("br")) == 1
    assert "Pas encore modéré" not in site.html(SEED_URL)
    assert pending.id not in site.html(SEED_URL)
    assert "lecteur@example.org" not in site.html(SEED_URL), "e-mail is never published"
    # Listings show the count, linked to the comments.
    card = next(c for c in site.soup("/categorie/innovation-publique/").select(".card")
                if c.select_one(".card__title a")["href"] == SEED_URL)
    count = card.select_one(f'a[href="{SEED_URL}#commentaires"]')
    assert count is not None and count.get_text().startswith("2 commentaires")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_visitor_text_is_shown_as_text_never_as_markup(build_site, store, hostile):
    approved(store, SEED, hostile, hostile, datetime(2014, 6, 13, tzinfo=timezone.utc))
    site = build_site(COMMENTS_STORE=str(store.root))
    item = comment_items(site)[0]
    assert item.select_one(".comment__author").get_text() == hostile
    assert item.select_one(".comment__text").get_text().strip() == hostile
    ours = item.select_one(".comment__report a")  # « Signaler ce commentaire »: the one link we add
    assert ours["href"].startswith("/commentaires/signaler/") and ours.find("bdi").get_text() == hostile
    assert not [e for e in item.select("script, img, svg, a") if e is not ours], \
        "nothing the visitor wrote became markup"
    # The raw page never holds the visitor's tags unescaped.
    html = site.html(SEED_URL)
    for fragment in ("<script>alert", "<img src=x", "<svg onload", '<a href="javascript'):
        assert fragment not in html


def test_closed_thread_shows_comments_but_no_form(build_site, store, content_copy):
    approved(store, SEED, "Amélie", "Avant fermeture.", datetime(2014, 6, 13, tzinfo=timezone.utc))
    source = content_copy / "articles" / "2014-06-12-inventer-les-services-publics-de-demain.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Summary:", "Comments: closed\nSummary:", 1), encoding="utf-8")
    site = build_site(content=content_copy, COMMENTS_STORE=str(store.root))
    soup = site.soup(SEED_URL)
    assert len(soup.select("#commentaires .comment")) == 1
    assert soup.select_one("form[data-comment-form]") is None
    assert "Les commentaires sont fermés" in soup.get_text()
    assert "comment-form.js" not in site.html(SEED_URL)
    manifest = json.loads((site.output / "comment-threads.json").read_text())
    assert manifest["threads"][SEED]["open"] is False


def test_manifest_lists_every_article_with_its_url_and_title(dev_site):
    manifest = json.loads((dev_site.output / "comment-threads.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1
    threads = manifest["threads"]
    articles = list((ROOT / "content" / "articles").glob("*.md"))
    assert len([t for t in threads.values() if re.match(r"^/\d{4}/", t["url"])]) == len(articles)
    seed = threads[SEED]
    assert seed == {"url": SEED_URL, "title": "Inventer les services publics de demain",
                    "open": True, "kind": "article"}
    for thread, info in threads.items():
        assert dev_site.path(info["url"]).is_file(), thread
        form = dev_site.soup(info["url"]).select_one("form[data-comment-form]")
        if not info["open"]:
            # events that ended long ago (EVENTS_COMMENTS_CLOSE_AFTER)
            assert form is None and info["kind"] == "event", thread
            continue
        assert form is not None and form["action"] == f"/commentaires/fils/{thread}"


def test_new_comments_appear_with_the_content_cache_on(build_site, store, tmp_path):
    cache = tmp_path / "shared-cache"
    settings = dict(COMMENTS_STORE=str(store.root), CACHE_CONTENT=True,
                    LOAD_CONTENT_CACHE=True, CACHE_PATH=str(cache))
    first = build_site(**settings)
    assert len(comment_items(first)) == 0
    assert any(cache.iterdir()), "the first build filled Pelican's content cache"
    approved(store, SEED, "Après coup", "Publié après le premier build.",
             datetime(2014, 6, 20, tzinfo=timezone.utc))
    second = build_site(**settings)
    items = comment_items(second)
    assert len(items) == 1 and "Publié après le premier build." in items[0].get_text()


def test_a_malformed_comment_file_is_reported_and_skipped(build_site, store, caplog):
    good = approved(store, SEED, "Valide", "Texte valide.", datetime(2014, 6, 13, tzinfo=timezone.utc))
    folder = store.root / "approved" / SEED
    (folder / "20140613T000000Z-broken.json").write_text("{ pas du json", encoding="utf-8")
    (folder / "20140613T000001Z-notext.json").write_text(
        json.dumps({"id": "x1", "name": "n", "created_at": "2014-06-13T00:00:00Z"}))
    with caplog.at_level(logging.WARNING):
        site = build_site(COMMENTS_STORE=str(store.root))
    items = comment_items(site)
    assert [i["id"] for i in items] == [f"commentaire-{good.id}"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "20140613T000000Z-broken.json" in logged
    assert "20140613T000001Z-notext.json" in logged


SAFE_ALLOWED = re.compile(
    r"\{\{\s*(article|page|item|event)\.(content|summary|jsonld)(\|[a-z_]+)*\|safe\s*\}\}")


def test_templates_mark_only_editor_content_as_safe():
    """Autoescaping is on; `|safe` is allowed only on editor-written HTML."""
    offenders = []
    for path in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\{\{[^}]*\|\s*safe[^}]*\}\}", text):
            if not SAFE_ALLOWED.fullmatch(match.group(0)):
                offenders.append(f"{path.name}: {match.group(0)}")
        if "autoescape false" in text or "Markup(" in text:
            offenders.append(f"{path.name}: disables escaping")
    assert not offenders, offenders


def test_drafts_and_hidden_content_with_a_comments_line_build(build_site, content_copy):
    """Pelican copies every metadata field onto the object: a `Comments:` line on
    a draft or hidden article or event must not reach the template as a string."""
    article = ("Title: {title}\nDate: 2014-03-0{n}\nCategory: Institution\nSummary: Chapô.\n"
               "Status: {status}\nComments: closed\n\nTexte.\n")
    event = ("Title: {title}\nStart: 2014-03-0{n} 10:00\nLocation: Cergy\n"
             "Status: {status}\nComments: closed\n\nTexte.\n")
    for n, status in ((1, "draft"), (2, "hidden")):
        (content_copy / "articles" / f"a-{status}.md").write_text(
            article.format(title=f"Article {status}", n=n, status=status), encoding="utf-8")
        (content_copy / "events" / f"e-{status}.md").write_text(
            event.format(title=f"Événement {status}", n=n, status=status), encoding="utf-8")
    site = build_site(content=content_copy)
    hidden = site.soup("/2014/03/02/article-hidden/")
    assert hidden.select_one("#commentaires-titre").get_text() == "Commentaires (0)"
    assert hidden.select_one("form[data-comment-form]") is None
    draft = site.soup("/brouillons/article-draft/")
    assert draft.select_one("form[data-comment-form]") is None
    manifest = json.loads((site.output / "comment-threads.json").read_text())["threads"]
    assert manifest["article-hidden"]["open"] is False
    assert "article-draft" not in manifest and "evenement-draft" not in manifest
    assert "evenement-hidden" in manifest
    # Neither is offered by the site's search.
    assert "data-pagefind-body" not in site.html("/2014/03/02/article-hidden/")
    assert "data-pagefind-body" not in site.html("/brouillons/article-draft/")


def test_the_store_patterns_and_folders_are_written_once():
    """Done when of issue 9: a grep finds one copy of each store pattern."""
    from comment_service.store import ID_RE, THREAD_RE

    sources = [p for folder in ("comment_service", "plugins", "devserver")
               for p in sorted((ROOT / folder).rglob("*.py"))]
    for pattern in (THREAD_RE.pattern, ID_RE.pattern):
        holders = {str(p.relative_to(ROOT)) for p in sources if pattern in p.read_text(encoding="utf-8")}
        assert holders == {"comment_service/store/layout.py"}, (pattern, holders)
    plugin = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "plugins" / "comments").glob("*.py"))
    for needle in ("listdir", "scandir", "glob(", "json.load", "THREAD_RE", "ID_RE"):
        assert needle not in plugin, f"plugins/comments reads the store itself ({needle})"


@pytest.mark.parametrize("mode,words", [("pre", "publiés après modération"),
                                        ("auto", "publiés sans relecture préalable")])
def test_the_form_notice_follows_the_moderation_mode(build_site, mode, words):
    site = build_site(COMMENTS_MODERATION=mode)
    notice = site.soup(SEED_URL).select_one(".comment-form__notice").get_text(" ")
    assert words in " ".join(notice.split())
