"""The Département's reply on the built page (a real Pelican build of content/):
under its comment, titled with words, escaped, counted only as a reply."""

from __future__ import annotations

from datetime import datetime, timezone

from comment_service.store import CommentStore

SEED = "inventer-les-services-publics-de-demain"
SEED_URL = f"/2014/06/12/{SEED}/"


def test_reply_is_published_under_its_comment(build_site, tmp_path):
    store = CommentStore(tmp_path / "store")
    answered = store.add(SEED, "Amélie", "", "Quand ?", now=datetime(2014, 6, 13, 16, 30, tzinfo=timezone.utc))
    store.move(answered.id, "approved")
    other = store.add(SEED, "Bernard", "", "Merci.", now=datetime(2014, 6, 14, 8, 0, tzinfo=timezone.utc))
    store.move(other.id, "approved")
    waiting = store.add(SEED, "Claude", "", "Pas encore publié.")
    store.set_reply(answered.id, "Direction des routes", "Le 3 <script>alert(1)</script>\n\nÀ bientôt.", "alice",
                    now=datetime(2014, 6, 15, 9, 0, tzinfo=timezone.utc))
    store.set_reply(waiting.id, "Service X", "Réponse à un commentaire en attente.", "alice")
    site = build_site(COMMENTS_STORE=str(store.root))
    soup = site.soup(SEED_URL)
    assert soup.select_one("#commentaires-titre").get_text() == "Commentaires (2)"  # a reply is no comment
    assert "1 réponse du Département" in soup.select_one(".comments__replies").get_text()
    items = soup.select("#commentaires .comment")
    assert [i["id"] for i in items] == [f"commentaire-{answered.id}", f"commentaire-{other.id}"]
    reply = items[0].select_one(".comment-reply")
    assert reply is not None and items[1].select_one(".comment-reply") is None
    title = reply.select_one("h3.comment-reply__title")
    assert " ".join(title.get_text().split()) == "Réponse du Département Direction des routes"
    assert reply["aria-labelledby"] == title["id"]
    assert [p.get_text() for p in reply.select(".comment-reply__text p")] == [
        "Le 3 <script>alert(1)</script>", "À bientôt."]
    assert reply.select_one("script") is None
    assert "15 juin 2014 à 11" in reply.select_one(".comment-reply__meta").get_text()
    assert "Réponse à un commentaire en attente" not in site.html(SEED_URL)
