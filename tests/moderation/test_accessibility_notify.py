"""Open accessibility requests in the moderators' mail, through a real SMTP
server (aiosmtpd): listed with their days left; louder (subject and first
line) when a deadline is within 2 days or passed; a new request is reason
enough for a mail, an urgent one is recalled once a day."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from comment_service.accessibility.records import Requests
from comment_service.ops.mailsettings import load_mail_settings
from comment_service.ops.notify import Notifier
from comment_service.store import CommentStore
from comment_service.web.threads import ThreadIndex
from comment_testlib import THREAD, Clock, write_manifest
from inboxlib import serving

T0 = 1_800_000_000


@pytest.fixture
def setup(tmp_path):
    with serving() as (controller, inbox):
        settings = load_mail_settings({"COMMENTS_NOTIFY_TO": "moderation@example.fr", "COMMENTS_SMTP_HOST": "127.0.0.1",
                                       "COMMENTS_SMTP_PORT": str(controller.port), "COMMENTS_SMTP_SECURITY": "none",
                                       "COMMENTS_NOTIFY_PERIOD": "600"})
        clock = Clock(T0)
        store = CommentStore(tmp_path / "store")
        notifier = Notifier(store.root, settings, ThreadIndex(write_manifest(tmp_path / "t.json")), clock)
        yield store, Requests(store.root), notifier, inbox, clock


def at(seconds_before: float) -> datetime:
    return datetime.fromtimestamp(T0 - seconds_before, timezone.utc)


def test_a_new_request_alone_sends_a_mail_that_lists_it(setup):
    _, requests, notifier, inbox, _ = setup
    requests.add("Léa\r\nBcc: intrus@example.org", "lea@example.org", "", "Texte.", now=at(3600))
    assert notifier.tick() is True
    [message] = inbox.messages()
    assert message["Subject"] == "[Accessibilité] 1 demande(s) à traiter"
    assert message["Bcc"] is None
    body = message.get_content()
    assert body.startswith("Bonjour,")
    assert "Demandes d’accessibilité à traiter (1)" in body and "6\u00a0jours restants" in body
    assert notifier.tick() is False  # nothing new


def test_a_deadline_within_two_days_is_loud_and_recalled_daily(setup):
    store, requests, notifier, inbox, clock = setup
    requests.add("Ana", "ana@example.org", "", "Texte.", now=at(5 * 86400 + 60))  # 1 day 23 h 59 left
    store.add(THREAD, "Zoé", "", "Un commentaire.")
    assert notifier.tick() is True
    message = inbox.messages()[-1]
    assert message["Subject"] == "[URGENT accessibilité] 1 demande(s) à échéance"
    first = message.get_content().splitlines()[0]
    assert first.startswith("URGENT\u00a0: 1 demande(s) d’accessibilité")
    assert "1 nouveau(x) commentaire(s)" in message.get_content()
    clock.advance(3600)
    assert notifier.tick() is False  # recalled once a day, not every period
    clock.advance(86400)
    assert notifier.tick() is True
    assert "(dernier jour)" in inbox.messages()[-1].get_content()  # 22 h 59 left


def test_an_answered_request_is_no_longer_listed(setup):
    _, requests, notifier, inbox, _ = setup
    request = requests.add("Ana", "ana@example.org", "", "Texte.", now=at(9 * 86400))
    requests.set_answer(request.id, "Réponse.", "alice")
    assert notifier.tick() is False and inbox.envelopes == []
