"""A real SMTP server (aiosmtpd) on 127.0.0.1 for every test that mails.

`serving(port=None)` starts one and yields ``(controller, inbox)``; the
`smtp` fixture is that for one test. The inbox keeps each envelope; it
refuses the recipient `BOUNCING` as a real server refuses an unknown user.
"""

from __future__ import annotations

import email
import email.policy
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller  # a pinned test dependency: never skipped

from comment_testlib import free_port

BOUNCING = "inconnu@example.net"


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == BOUNCING:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list:
        """Every message received, parsed."""
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]

    def take(self) -> list:
        """The messages received since the last take(), parsed."""
        out = self.messages()
        self.envelopes.clear()
        return out


@contextmanager
def serving(port: int | None = None):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp():
    with serving() as pair:
        yield pair
