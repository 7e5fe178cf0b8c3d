"""A publication never drops published comments by mistake (release/comments_kept.py):
a missing store is refused, a release that loses comments of pages it still
publishes is refused unless told, and the live release stays byte for byte;
a moderator's unpublishing and a removed article are not mistakes."""

from __future__ import annotations

import json
import shutil

import pytest

from comment_service.store import CommentStore
from releaselib import fingerprint, release
from support import ROOT

pytestmark = pytest.mark.timeout(600)

# An article no other page links to (the seed article is in the accessibility statement's pages tested).
THREAD = "espaces-naturels-sensibles-5-000-arbres-plantes-cet-hiver"
ARTICLE_FILE = "2014-11-18-espaces-naturels-plantations.md"


@pytest.fixture
def live(tmp_path):
    """A release of a copy of the real content showing two approved comments."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (tmp_path / "store").mkdir()
    store = CommentStore(tmp_path / "store")
    ids = [store.add(THREAD, name, "", f"Avis de {name}.", status="approved").id
           for name in ("Alix", "Basile")]
    proc = release(tmp_path, "publish", content=content)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shown = json.loads((tmp_path / "site/current/donnees/commentaires.json").read_text())["commentaires"]
    assert sorted(row["commentaire_id"] for row in shown) == sorted(ids)
    return tmp_path, content, store, ids


def test_a_missing_store_is_refused_and_the_live_site_is_unchanged(live):
    tmp, content, _store, _ids = live
    before = fingerprint(tmp / "site/current")
    proc = release(tmp, "publish", content=content, COMMENTS_STORE=str(tmp / "stroe"))
    assert proc.returncode == 1
    assert f"le dossier des commentaires {tmp / 'stroe'} n'existe pas" in proc.stderr
    assert "Vérifiez COMMENTS_STORE" in proc.stderr and "Traceback" not in proc.stderr
    assert fingerprint(tmp / "site/current") == before


def test_a_release_dropping_published_comments_is_refused_unless_told(live):
    tmp, content, _store, ids = live
    (tmp / "other-store").mkdir()  # exists, but is not the store that holds them
    before = fingerprint(tmp / "site/current")
    proc = release(tmp, "publish", content=content, COMMENTS_STORE=str(tmp / "other-store"))
    assert proc.returncode == 1
    assert "2 commentaire(s) publié(s) disparaîtrai(en)t du site" in proc.stderr
    assert all(comment_id in proc.stderr for comment_id in ids)
    assert "--allow-dropped-comments" in proc.stderr
    assert fingerprint(tmp / "site/current") == before
    told = release(tmp, "publish", "--allow-dropped-comments", content=content,
                   COMMENTS_STORE=str(tmp / "other-store"))
    assert told.returncode == 0, told.stderr
    assert json.loads((tmp / "site/current/donnees/commentaires.json").read_text())["commentaires"] == []


def test_an_unpublished_comment_and_a_removed_article_are_no_mistake(live):
    tmp, content, store, ids = live
    store.move(ids[0], "pending")  # a moderator unpublished it
    proc = release(tmp, "publish", content=content)
    assert proc.returncode == 0, proc.stderr
    (content / "articles" / ARTICLE_FILE).unlink()  # the editors removed the article
    proc = release(tmp, "publish", content=content)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp / "site/current/2014/11/18" / THREAD).exists()
