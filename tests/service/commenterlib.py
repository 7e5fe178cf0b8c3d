"""Helpers for the commenters' notifications: a real SMTP server (aiosmtpd) on
127.0.0.1, the service at WSGI level, the notify round that mails commenters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from comment_testlib import PREFIX, SITE, SECRET, Clock, WSGIClient, make_config
from comment_service.web.app import create_app
from comment_service.commenters.records import Subscriptions
from comment_service.commenters.sender import CommenterMailer, LinkSettings
from comment_service.ops.mailsettings import load_mail_settings
from comment_service.web.threads import ThreadIndex
from inboxlib import BOUNCING, Inbox, smtp  # noqa: F401 (re-exported: the fixture and the refused address)






class World:
    """The service (WSGI), its store, the commenters' mailer and the inbox, on one clock."""

    def __init__(self, tmp_path: Path, port: int, inbox: Inbox):
        self.clock = Clock()
        self.config = make_config(tmp_path)
        self.client = WSGIClient(create_app(self.config, clock=self.clock), self.config)
        self.store = self.client.raw_app.deps.store
        self.subs = Subscriptions(self.store)
        settings = load_mail_settings({
            "COMMENTS_NOTIFY_TO": "moderation@example.fr", "COMMENTS_NOTIFY_FROM": "ne-pas-repondre@example.fr",
            "COMMENTS_SMTP_HOST": "127.0.0.1", "COMMENTS_SMTP_PORT": str(port), "COMMENTS_SMTP_SECURITY": "none"})
        self.mailer = CommenterMailer(self.store.root, settings, LinkSettings(SECRET, SITE, PREFIX),
                                      ThreadIndex(self.config.threads_file), self.clock)
        self.inbox = inbox

    def post(self, email_address: str = "zoe@example.org", notify: str = "oui", **fields) -> str:
        data = self.client.fields(**{"name": "Zoé", "email": email_address, "notify": notify, **fields})
        resp = self.client.post_json(data=data)
        assert resp.status == 202, resp.body
        return resp.json["id"]

    def round(self) -> list:
        self.mailer.tick()
        return self.inbox.take()


@pytest.fixture
def world(tmp_path, smtp):
    controller, inbox = smtp
    return World(tmp_path, controller.port, inbox)


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


def path_of(url: str) -> str:
    return url.split("127.0.0.1:8000", 1)[1].split("#")[0]
