"""The requester's mails, sent by the notify process (``python -m comment_service
notify``, one more round beside the commenters'): never from a request.

- ``ack``: the acknowledgement, once the request is on disk (the page said so
  too): received when, answered by when, the Défenseur des droits' routes;
- ``answer``: the moderator's answer from the console, with the request
  quoted and the routes again.

A mail is marked sent (``records.Requests.mark_sent``) only once the SMTP
server took it: a temporary failure is retried at the next round; a permanent
refusal (5xx) is marked ``refused`` and logged, never retried. Headers hold
nothing the person wrote but their address, validated when posted.
"""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import datetime, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from ..rules import messages as msg
from ..console.views import french_datetime
from ..ops.mailsettings import MailSettings
from ..ops.notify import _clean, connect
from . import deadlines, recourse, texts
from .records import Request, Requests

log = logging.getLogger("comment_service.accessibility")
REFUSED = "refused"


def _quoted(text: str) -> list[str]:
    return [f"> {_clean(line).rstrip()}" for line in text.strip().split("\n")]


def body(kind: str, request: Request) -> str:
    received = french_datetime(request.received)
    lines = [msg.MAIL_HELLO.format(name=_clean(request.name)), ""]
    if kind == "ack":
        lines += [texts.MAIL_ACK.format(date=received, deadline=french_datetime(deadlines.due(request.received))),
                  "", texts.MAIL_YOUR_REQUEST, *_quoted(request.text)]
        if request.page:
            lines.append(texts.MAIL_PAGE.format(page=_clean(request.page)))
        lines += ["", recourse.INTRO, *recourse.plain_lines()]
    elif kind == "answer":
        lines += [texts.MAIL_ANSWER.format(date=received), ""]
        lines += [_clean(line).rstrip() for line in request.answer["text"].strip().split("\n")]
        lines += ["", texts.MAIL_YOUR_REQUEST, *_quoted(request.text), "", texts.MAIL_ROUTES_ANSWER,
                  *recourse.plain_lines()]
    else:
        raise ValueError(kind)
    lines += ["", "-- ", msg.MAIL_SIGNATURE.format(site=msg.SITE_NAME)]
    return "\n".join(lines) + "\n"


def compose(kind: str, sender: str, request: Request) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    subject = texts.MAIL_SUBJECT_ACK if kind == "ack" else texts.MAIL_SUBJECT_ANSWER
    message["Subject"] = subject.format(site=msg.SITE_NAME)
    message["From"] = f"{msg.SITE_NAME} <{sender}>"
    message["To"] = request.email
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body(kind, request), charset="utf-8")
    return message


def due(requests: list[Request]) -> list[tuple[str, Request]]:
    out = []
    for request in requests:
        if request.redacted or not request.email:
            continue
        if "ack" not in request.sent:
            out.append(("ack", request))
        if request.answer and "answer" not in request.sent:
            out.append(("answer", request))
    return out


class RequesterMailer:
    def __init__(self, store_root, settings: MailSettings, clock=time.time):
        self.requests = Requests(store_root)
        self.settings, self.clock = settings, clock

    def tick(self) -> int:
        """One round: the number of mails sent."""
        todo = due(self.requests.all())
        if not todo:
            return 0
        try:
            client = connect(self.settings)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("cannot reach %s:%d for %d accessibility mail(s): %s; retrying at the next round",
                      self.settings.host, self.settings.port, len(todo), exc)
            return 0
        sent = 0
        with client:
            for kind, request in todo:
                sent += self._send_one(client, kind, request)
        return sent

    def _send_one(self, client, kind: str, request: Request) -> int:
        now = datetime.fromtimestamp(self.clock(), timezone.utc)
        try:
            client.send_message(compose(kind, self.settings.sender, request))
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
            codes = ([code for code, _ in exc.recipients.values()] if isinstance(exc, smtplib.SMTPRecipientsRefused)
                     else [exc.smtp_code])
            if codes and 500 <= min(codes) < 600:
                log.warning("the %s mail of accessibility request %s was refused for good (%d)", kind, request.id,
                            min(codes))
                self.requests.update(request.id, lambda r: r.sent.__setitem__(kind, REFUSED))
            else:
                log.error("the %s mail of accessibility request %s was refused for now; retrying", kind, request.id)
            return 0
        except (OSError, smtplib.SMTPException) as exc:
            log.error("cannot send the %s mail of accessibility request %s: %s; retrying", kind, request.id, exc)
            return 0
        self.requests.mark_sent(request.id, kind, now)
        log.info("accessibility mail %s sent for request %s", kind, request.id)
        return 1
