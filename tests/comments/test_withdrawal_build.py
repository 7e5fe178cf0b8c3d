"""A comment withdrawn by its author from the rights page (commenters/pages.py)
is gone from the next build of the site, its reply with it."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

from comment_service.web.app import create_app
from comment_service.commenters.records import Subscriptions
from comment_service.commenters.sender import LinkSettings, urls
from comment_service.store import CommentStore
from comment_testlib import PREFIX, SECRET, SITE, WSGIClient, make_config

SEED = "inventer-les-services-publics-de-demain"
SEED_URL = f"/2014/06/12/{SEED}/"


def test_the_next_build_drops_a_withdrawn_comment(build_site, tmp_path):
    store = CommentStore(tmp_path / "store")
    kept = store.add(SEED, "Lecteur", "", "Je reste.", now=datetime(2014, 6, 13, 1, tzinfo=timezone.utc))
    gone = store.add(SEED, "Zoé", "zoe@example.org", "Je me retire.", now=datetime(2014, 6, 13, 2, tzinfo=timezone.utc))
    for c in (kept, gone):
        store.move(c.id, "approved")
    store.set_reply(gone.id, "Direction des routes", "Réponse sous le commentaire retiré.", "alice")
    Subscriptions(store).request(gone.id, time.time())
    before = build_site(COMMENTS_STORE=str(store.root))
    html = before.html(SEED_URL)
    assert "Je me retire." in html and "Réponse sous le commentaire retiré." in html

    config = make_config(tmp_path, store=store.root)
    client = WSGIClient(create_app(config), config)
    _confirm, rights, _unsubscribe = urls(LinkSettings(SECRET, SITE, PREFIX), gone.id, gone.email, time.time())
    resp = client.request("POST", urlsplit(rights).path, b"", content_type="application/x-www-form-urlencoded")
    assert resp.status == 200

    after = build_site(COMMENTS_STORE=str(store.root)).html(SEED_URL)
    assert "Je me retire." not in after and "Réponse sous le commentaire retiré." not in after
    assert "Zoé" not in after and "Je reste." in after
