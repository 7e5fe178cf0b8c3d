"""The moderators' notification mail against a real SMTP server on 127.0.0.1
(aiosmtpd): it arrives, is well formed, carries no injected header, the
batching holds under a burst, and a failure is retried."""

from __future__ import annotations

import email
import email.policy
import logging
import re
import subprocess
import sys

import pytest

from comment_service.ops.mailsettings import load_mail_settings
from comment_service.ops.notify import Notifier
from comment_service.store import CommentStore
from comment_service.web.threads import ThreadIndex
from comment_testlib import ROOT, THREAD, Clock, free_port, write_manifest
from inboxlib import serving, smtp  # noqa: F401 (fixture)


CONSOLE_URL = "https://www.example.fr/commentaires/moderation/"





def settings_for(port, **extra):
    env = {"COMMENTS_NOTIFY_TO": "moderation@example.fr, chef@example.fr", "COMMENTS_NOTIFY_FROM": "ne-pas-repondre@example.fr",
           "COMMENTS_SMTP_HOST": "127.0.0.1", "COMMENTS_SMTP_PORT": str(port), "COMMENTS_SMTP_SECURITY": "none",
           "COMMENTS_NOTIFY_PERIOD": "3600", "COMMENTS_NOTIFY_CONSOLE_URL": CONSOLE_URL}
    env.update(extra)
    return load_mail_settings(env)


@pytest.fixture
def setup(tmp_path, smtp):
    controller, inbox = smtp
    manifest = write_manifest(tmp_path / "threads.json", {
        "titre-piege": {"url": "/piege/", "title": "Piège\r\nBcc: intrus@example.org", "open": True}})
    store = CommentStore(tmp_path / "store")
    clock = Clock(1_800_000_000)
    notifier = Notifier(store.root, settings_for(controller.port), ThreadIndex(manifest), clock)
    return store, notifier, inbox, clock


def parse(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_the_mail_arrives_well_formed(setup):
    store, notifier, inbox, _ = setup
    store.add(THREAD, "Zoé", "zoe@example.org", "Ligne 1\nLigne 2\nLigne 3\nLigne 4 cachée")
    assert notifier.tick() is True
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "ne-pas-repondre@example.fr"
    assert sorted(envelope.rcpt_tos) == ["chef@example.fr", "moderation@example.fr"]
    message = parse(envelope)
    assert message["Subject"] == "[Commentaires] 1 commentaire(s) à modérer"
    assert message.get_content_type() == "text/plain" and message.get_content_charset() == "utf-8"
    assert message["Message-ID"] and message["Date"] and message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert "Inventer les services publics de demain" in body and "Zoé" in body
    assert "> Ligne 1" in body and "> Ligne 3" in body and "Ligne 4" not in body
    assert "zoe@example.org" not in body
    assert re.findall(r"https?://\S+", body) == [CONSOLE_URL]  # one link, that acts on nothing


def test_names_and_titles_cannot_inject_headers(setup):
    store, notifier, inbox, _ = setup
    store.add("titre-piege", "Eve\r\nBcc: intrus@example.org\r\nSubject: gagné", "", "Texte\r\nX-Evil: 1")
    assert notifier.tick() is True
    [envelope] = inbox.envelopes
    assert sorted(envelope.rcpt_tos) == ["chef@example.fr", "moderation@example.fr"]
    message = parse(envelope)
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message.get_all("Subject") == ["[Commentaires] 1 commentaire(s) à modérer"]
    assert not message.defects
    assert "Eve  Bcc: intrus@example[.]org  Subject: gagné" in message.get_content()  # one line, defanged


def test_one_mail_per_period_under_a_burst_then_the_count_of_the_new_ones(setup):
    store, notifier, inbox, clock = setup
    store.add(THREAD, "Premier", "", "un")
    assert notifier.tick() is True
    for i in range(40):
        store.add(THREAD, f"Vague {i}", "", "spam")
        clock.advance(10)
        notifier.tick()
    assert len(inbox.envelopes) == 1
    clock.advance(3600)
    assert notifier.tick() is True
    assert notifier.tick() is False  # nothing new
    second = parse(inbox.envelopes[1])
    assert second["Subject"] == "[Commentaires] 40 commentaire(s) à modérer"
    body = second.get_content()
    assert "(41 en attente au total)" in body and "… et 20 autre(s)." in body


def test_a_failure_is_logged_and_retried(tmp_path, caplog):
    store = CommentStore(tmp_path / "store")
    store.add(THREAD, "Zoé", "", "Bonjour")
    port = free_port()  # nobody listens there yet
    notifier = Notifier(store.root, settings_for(port), ThreadIndex(write_manifest(tmp_path / "t.json")), Clock())
    with caplog.at_level(logging.ERROR, logger="comment_service.ops.notify"):
        assert notifier.tick() is False
    assert "cannot send the moderation mail" in caplog.text
    with serving(port) as (_, inbox):
        assert notifier.tick() is True
    assert len(inbox.envelopes) == 1


def test_settings_refuse_what_could_inject(tmp_path):
    from comment_service.config import ConfigError

    with pytest.raises(ConfigError):
        settings_for(25, COMMENTS_NOTIFY_TO="a@example.fr\r\nBcc: b@example.org")
    with pytest.raises(ConfigError):
        settings_for(25, COMMENTS_NOTIFY_FROM="x@example.fr>\nX: y")
    with pytest.raises(ConfigError):
        load_mail_settings({})


def test_the_command_sends_once(tmp_path, smtp):
    controller, inbox = smtp
    store = CommentStore(tmp_path / "store")
    store.add(THREAD, "Zoé", "", "Bonjour")
    env = {"PATH": "/usr/bin:/bin", "COMMENTS_STORE": str(store.root), "COMMENTS_NOTIFY_TO": "m@example.fr",
           "COMMENTS_SMTP_HOST": "127.0.0.1", "COMMENTS_SMTP_PORT": str(controller.port),
           "COMMENTS_SMTP_SECURITY": "none", "COMMENTS_THREADS_FILE": str(write_manifest(tmp_path / "t.json"))}
    result = subprocess.run([sys.executable, "-m", "comment_service", "notify", "--once"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert len(inbox.envelopes) == 1
    assert "http://127.0.0.1:8000/commentaires/moderation/" in parse(inbox.envelopes[0]).get_content()


def test_visitor_urls_are_defanged_in_the_mail(setup):
    """Issue 21, item 10: the mail comes from the Département's address; a
    visitor's link in it must not be clickable (hxxp://, [.])."""
    store, notifier, inbox, _ = setup
    store.add(THREAD, "http://promo.example.net", "",
              "Connectez-vous sur https://impots-gouv.example.com/login?x=1 ou www.phish.fr\n"
              "ou FTP://files.example.org, ou encore banque.example\u3002com et mailto:zoe@example.org")
    assert notifier.tick() is True
    body = parse(inbox.envelopes[0]).get_content()
    assert re.findall(r"(?i)\b(?:https?|ftps?):/?/?\S+", body) == [CONSOLE_URL]
    for host in ("promo.example.net", "impots-gouv.example.com", "www.phish.fr", "files.example.org",
                 "example.org", "banque.example\u3002com"):
        assert host not in body, host
    assert "hxxps://impots-gouv[.]example[.]com/login?x=1" in body
    assert "www[.]phish[.]fr" in body and "hxxp://promo[.]example[.]net" in body
