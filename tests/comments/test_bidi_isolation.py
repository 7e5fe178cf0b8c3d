"""Issue 21, item 11: a comment's text may hold bidi controls (they are refused
in names only); each paragraph is isolated with dir="auto" wherever a comment
is shown, so that it cannot reorder what surrounds it (site: real build;
console: WSGI)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from comment_service.web.app import create_app
from comment_service.console.accounts import Accounts
from comment_service.store import CommentStore
from comment_testlib import THREAD, WSGIClient, make_config

TEXT = "Premier \u202eparagraphe inversé\n\nSecond \u2067isolat non fermé\navec une ligne"
PARAGRAPH_RE = re.compile(r"<p\b[^>]*>", re.S)


def _paragraph_tags(html: str, block_class: str) -> list[str]:
    blocks = re.findall(rf'<div class="{block_class}"[^>]*>(.*?)</div>', html, re.S)
    blocks = [b for b in blocks if "\u202e" in b or "\u2067" in b]
    assert blocks, html[:2000]
    return [tag for b in blocks for tag in PARAGRAPH_RE.findall(b)], blocks


def _check(tags: list[str], blocks: list[str]) -> None:
    assert len(tags) >= 2 and all('dir="auto"' in t for t in tags), tags
    for block in blocks:  # no control outside a paragraph
        outside = re.sub(r"<p\b[^>]*>.*?</p>", "", block, flags=re.S)
        assert "\u202e" not in outside and "\u2067" not in outside


def test_site_isolates_each_paragraph(tmp_path, request):
    store = CommentStore(tmp_path / "store")
    comment = store.add(THREAD, "Zoé", "", TEXT)
    store.move(comment.id, "approved")
    wanted = Path(__file__).resolve().parents[1] / "conftest.py"
    root = next(p for p in request.config.pluginmanager.get_plugins()
                if Path(getattr(p, "__file__", "") or "/").resolve() == wanted)
    site = root.run_pelican(root.ROOT / "content", tmp_path / "output", "pelicanconf.py",
                            COMMENTS_STORE=str(store.root), SEARCH_INDEX=False, CACHE_CONTENT=False,
                            LOAD_CONTENT_CACHE=False)
    page = next(p for p in (site.output).rglob("index.html") if THREAD in str(p))
    _check(*_paragraph_tags(page.read_text(encoding="utf-8"), "comment__text"))


def test_console_isolates_each_paragraph(tmp_path):
    config = make_config(tmp_path)
    Accounts(config.store).add("alice", "correct horse battery staple")
    CommentStore(config.store).add(THREAD, "Zoé", "", TEXT)
    client = WSGIClient(create_app(config), config)
    page = client.request("GET", "/commentaires/moderation/connexion")
    cookie = page.headers["set-cookie"].split(";")[0]
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    body = urlencode({"csrf": token, "identifiant": "alice", "mot_de_passe": "correct horse battery staple"})
    done = client.request("POST", "/commentaires/moderation/connexion", body.encode(), {"Cookie": cookie},
                          content_type="application/x-www-form-urlencoded")
    assert done.status == 303
    cookie = done.headers["set-cookie"].split(";")[0]
    listing = client.request("GET", "/commentaires/moderation/", headers={"Cookie": cookie})
    assert listing.status == 200
    _check(*_paragraph_tags(listing.text, "console-item__text"))
