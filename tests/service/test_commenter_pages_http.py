"""The commenters' rights page over real HTTP (gunicorn, two workers, production
settings): it shows exactly this comment's data, stops the mails, and the
withdrawal erases the comment (and its reply) from the store."""

from __future__ import annotations

import time
from html import unescape
from urllib.parse import urlsplit

import pytest

from comment_service.rules import messages as msg
from comment_service.commenters.records import Subscriptions
from comment_service.commenters.sender import LinkSettings, urls
from comment_service.store import CommentStore, NotFound
from comment_testlib import PREFIX, SECRET, SITE, THREAD, start_gunicorn, stop_server

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    server = start_gunicorn(tmp_path_factory.mktemp("commenters"))
    yield server
    stop_server(server)


def paths(comment) -> tuple[str, str, str]:
    return tuple(urlsplit(u).path for u in urls(LinkSettings(SECRET, SITE, PREFIX), comment.id, comment.email,
                                                    time.time()))


def test_the_rights_page_shows_this_comment_only_and_withdrawal_erases_it(http):
    store = CommentStore(http.store)
    mine = store.add(THREAD, "Zoé <b>Martin</b>", "zoe@example.org", "Mon avis\nsur deux lignes.")
    other = store.add(THREAD, "Paul Autre", "paul@example.org", "Le texte de Paul.")
    store.move(mine.id, "approved")
    store.set_reply(mine.id, "Direction des routes", "Merci de votre avis.", "alice")
    subs = Subscriptions(store)
    subs.request(mine.id, time.time())
    _confirm, rights, unsubscribe = paths(store.get(mine.id))
    status, headers, body = http.request("GET", rights)
    page = unescape(body.decode("utf-8"))
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "Zoé <b>Martin</b>" in page and "<b>Martin" not in body.decode("utf-8")  # escaped
    assert "zoe@example.org" in page and "Mon avis<br>sur deux lignes." in page
    assert msg.STATE_LABELS["approved"] in page and msg.NOTIFY_STATE_LABELS["requested"] in page
    assert "Paul" not in page and "paul@example.org" not in page
    assert f'action="{unsubscribe}"' in page and f'action="{rights}"' in page
    # Stopping the mails: the rights page's first button posts to the unsubscribe link.
    status, _, body = http.request("POST", unsubscribe, b"", FORM)
    assert status == 200 and subs.get(mine.id).state == "stopped"
    # Withdrawal: the same erasure as `personal-data erase --id`.
    status, _, body = http.request("POST", rights, b"", FORM)
    assert status == 200 and msg.WITHDRAWN in unescape(body.decode("utf-8"))
    with pytest.raises(NotFound):
        store.get(mine.id)
    assert store.reply_for(mine.id) is None and subs.get(mine.id) is None
    assert all(mine.id not in c.id for c in store.approved(THREAD))
    assert store.get(other.id).text == "Le texte de Paul."
    again, _, gone = http.request("GET", rights)
    never, _, unknown = http.request("GET", rights.replace(mine.id, other.id))
    assert again == never == 404 and gone == unknown


def test_methods_and_foreign_posts_are_refused(http):
    store = CommentStore(http.store)
    comment = store.add(THREAD, "Léa", "lea@example.org", "Un texte.")
    _confirm, rights, _unsubscribe = paths(comment)
    assert http.request("PUT", rights, b"", FORM)[0] == 405
    status, _, _ = http.request("POST", rights, b"", dict(FORM, Origin="https://evil.example"))
    assert status == 403 and store.get(comment.id).text == "Un texte."
