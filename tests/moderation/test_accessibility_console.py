"""The console's « Accessibilité » view over real HTTP (gunicorn): the requests
with the days left before the one-week deadline (overdue said in words), a
request's page, the answer (CSRF and session like every console action) kept
in the request's file and in the audit log; then mailed to the requester by
the notify process through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import html
from datetime import datetime, timedelta, timezone

import pytest

from comment_service.accessibility import recourse
from comment_service.accessibility.mails import RequesterMailer
from comment_service.accessibility.records import Requests
from comment_service.ops.mailsettings import load_mail_settings
from consolelib import Browser, audit
from inboxlib import smtp  # noqa: F401 (fixture)

NOW = datetime.now(timezone.utc)





def mail_settings(port):
    return load_mail_settings({"COMMENTS_NOTIFY_TO": "moderation@example.fr",
                               "COMMENTS_NOTIFY_FROM": "accessibilite@example.fr", "COMMENTS_SMTP_HOST": "127.0.0.1",
                               "COMMENTS_SMTP_PORT": str(port), "COMMENTS_SMTP_SECURITY": "none"})


@pytest.fixture
def requests(console_server):
    store = Requests(console_server.store)
    made = {
        "late": store.add("Ana Retard", "ana@example.org", "", "Vidéo sans sous-titres.",
                          now=NOW - timedelta(days=8)),
        "soon": store.add("Bruno Bientôt", "bruno@example.org", "https://www.valdoise.fr/agenda/",
                          "Le PDF <script>n’est</script> pas balisé.", now=NOW - timedelta(days=6, hours=1)),
        "fresh": store.add("Chloé Neuve", "chloe@example.org", "", "Contraste trop faible.", now=NOW),
    }
    yield store, made
    for request in made.values():
        (store.folder / f"{request.id}.json").unlink(missing_ok=True)


def test_the_view_lists_requests_with_their_deadline(alice, requests):
    _, made = requests
    page = alice.get("/accessibilite")
    assert page.status == 200
    text = html.unescape(page.body)
    assert "Accessibilité</a>" in text  # in the console's navigation
    for key, label in (("late", "En retard de 1\u00a0jour"), ("soon", "dernier jour"), ("fresh", "6\u00a0jours restants")):
        row = text.split(made[key].id)[1].split("</tr>")[0]
        assert label in row, (key, row)
    assert "<strong>En retard de 1\u00a0jour</strong>" in text
    assert "&lt;script&gt;" not in page.body or "<script>" not in page.body


def test_a_request_is_answered_kept_audited_and_mailed(alice, requests, console_server, smtp):
    store, made = requests
    soon = made["soon"]
    page = alice.get(f"/accessibilite/{soon.id}")
    assert page.status == 200
    assert "Le PDF &lt;script&gt;n’est&lt;/script&gt; pas balisé." in page.body
    refused = alice.post(f"/accessibilite/{soon.id}", {"reponse": "Sans jeton"}, csrf="faux")
    assert refused.status == 403 and store.get(soon.id).answer is None
    empty = alice.post(f"/accessibilite/{soon.id}", {"reponse": "  "})
    assert empty.status == 400 and "Écrivez la réponse." in html.unescape(empty.body)
    done = alice.post(f"/accessibilite/{soon.id}", {"reponse": "Voici le document balisé :\nlien."})
    assert done.status == 303
    kept = store.get(soon.id)
    assert kept.answer["text"] == "Voici le document balisé :\nlien." and kept.answer["by"] == "alice"
    [entry] = [e for e in audit(console_server.store) if e.get("request_id") == soon.id]
    assert entry["action"] == "accessibility-answer" and entry["actor"] == "alice"
    assert entry["request"] == soon.text and entry["answer"] == kept.answer["text"]
    listing = html.unescape(alice.get("/accessibilite").body)
    assert listing.index("Traitées") < listing.index(soon.id)

    controller, inbox = smtp
    port = controller.port
    mailer = RequesterMailer(console_server.store, mail_settings(port))
    assert mailer.tick() == 4  # three acknowledgements and one answer
    assert mailer.tick() == 0  # each mail once
    by_kind = {}
    for envelope in inbox.envelopes:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        by_kind[(envelope.rcpt_tos[0], "Réponse" in message["Subject"])] = message
    answer = by_kind[("bruno@example.org", True)].get_content().replace("\r\n", "\n")
    assert "Voici le document balisé :\nlien." in answer and "> Le PDF <script>n’est</script> pas balisé." in answer
    ack = by_kind[("chloe@example.org", False)].get_content().replace("\r\n", "\n")
    for lines in (answer, ack):
        for line in recourse.plain_lines():
            assert line in lines
        assert "Libre réponse 71120, 75342 Paris CEDEX\u00a007" in lines
    assert store.get(soon.id).sent.keys() == {"ack", "answer"}
    assert "Courriel de réponse envoyé le" in html.unescape(alice.get(f"/accessibilite/{soon.id}").body)


def test_the_view_needs_a_session(console_server):
    anonymous = Browser(console_server, ip="203.0.113.77")
    page = anonymous.get("/accessibilite")
    assert page.status == 303 and page.headers["location"].endswith("/connexion")
    assert anonymous.post("/accessibilite/20260101T000000000000Z-0123456789ab", {"reponse": "x"},
                          csrf=None).status == 403


def test_an_unknown_request_is_a_404(alice):
    assert alice.get("/accessibilite/20260101T000000000000Z-0123456789ab").status == 404
    assert alice.get("/accessibilite/..%2f..%2fetc").status == 404


@pytest.mark.parametrize("answer,message", [
    ("\u0000poison", "caractère de contrôle"),
    ("ligne\u2028cachée", "caractère de contrôle"),
    ("x" * 2001, "La réponse dépasse 2000 caractères (elle en compte 2001)."),
])
def test_a_hostile_answer_is_refused_and_kept_in_the_form(alice, requests, answer, message):
    store, made = requests
    fresh = made["fresh"]
    alice.get(f"/accessibilite/{fresh.id}")  # the form, with its CSRF token
    page = alice.post(f"/accessibilite/{fresh.id}", {"reponse": answer})
    assert 400 <= page.status < 500, page.status
    if message:
        assert message in html.unescape(page.body)
        assert page.status == 400 and 'aria-invalid="true"' in page.body
    assert store.get(fresh.id).answer is None
