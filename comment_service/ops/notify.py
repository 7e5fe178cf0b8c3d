"""Mail to the moderators when comments wait: ``python -m comment_service notify``.

A separate process (a systemd unit, or ``--once`` from a timer), not a thread
of the web service: gunicorn runs several workers that may be killed at any
time, and "at most one mail per period" would need them to agree; one small
loop reading the store is simpler, and the comment POST never waits for it.

Each round (every ``COMMENTS_NOTIFY_POLL`` seconds) it lists the pending
comments; those newer than the last one announced are *new*. When there are
new ones and the last mail is older than ``COMMENTS_NOTIFY_PERIOD``, one mail
goes out (the count, then for each new comment the page's title, the
author's name and the first lines; a link to the console, never a link that
acts by itself: mail scanners follow links). The state (time of the last
mail, last comment announced) is a small JSON file beside the store, replaced
atomically, updated only once the SMTP server accepted the mail: a failure
is logged and retried at the next round; the comments are safe either way.

Headers hold no visitor data: the subject is a count, the addresses come
from the settings (checked at start-up), so a name or a title cannot inject
a header.
"""

from __future__ import annotations

import json
import logging
import re
import os
import smtplib
import ssl
import threading
import time
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from ..accessibility import notice as a11y
from .mailsettings import MailSettings
from ..store import Comment, CommentStore
from ..web.threads import ThreadIndex

log = logging.getLogger("comment_service.ops.notify")
STATE_NAME = "notify-state.json"
DETAILED = 20  # comments described in one mail; the others are counted
EXCERPT_LINES, EXCERPT_CHARS = 3, 300


def _clean(text: str) -> str:
    """One line of plain text: control characters (but tabs) become spaces."""
    return "".join(" " if (ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029") else c for c in text)


# A scheme ("https://", "mailto:") and a host name (labels joined by a dot, an
# ideographic or a full-width dot: mail readers link them all).
_DOTS = ".\u3002\uff0e\uff61"
_LINKISH = re.compile(r"(?i)(?:\b(?P<scheme>[a-z][a-z0-9+.-]{1,15}):(?://)?)?"
                      rf"(?P<host>(?:[\w-]+[{_DOTS}])+[\w-]*[^\W\d_][\w-]*)")


def defang(text: str) -> str:
    """A visitor's text with its links made unclickable (``hxxps://example[.]com``):
    the mail comes from the Département's address and must not carry a phishing link."""

    def tame(match: re.Match) -> str:
        scheme = match["scheme"] or ""
        if scheme:
            low = scheme.lower()
            scheme = ("hxxp" + low[4:] + "://" if low in ("http", "https")
                      else scheme + "[:]" + ("//" if match[0][len(scheme) + 1:].startswith("//") else ""))
        return scheme + re.sub(f"[{_DOTS}]", "[.]", match["host"])

    return _LINKISH.sub(tame, text)


def excerpt(text: str) -> list[str]:
    lines = [defang(_clean(line)).rstrip() for line in text.strip().split("\n")][:EXCERPT_LINES]
    out, used = [], 0
    for line in lines:
        if used + len(line) > EXCERPT_CHARS:
            out.append(line[:max(0, EXCERPT_CHARS - used)] + "…")
            break
        out.append(line)
        used += len(line)
    return out


def body(new: list[Comment], waiting: int, titles, console_url: str, period: int, requests=None) -> str:
    n = len(new)
    lines = [*a11y.first_lines(requests), "Bonjour,", ""] if requests else ["Bonjour,", ""]
    if n or not requests:
        lines += [f"{n} nouveau(x) commentaire(s) attend(ent) une modération ({waiting} en attente au total).", ""]
    if requests:  # open accessibility requests (accessibility/notice.py)
        from ..console.views import french_datetime
        lines += a11y.section(requests, lambda t: defang(_clean(t)), french_datetime)
    for comment in new[:DETAILED]:
        lines.append(f"— {_clean(titles(comment.thread))}")
        lines.append(f"  Auteur\u00a0: {defang(_clean(comment.name))}")
        lines += [f"  > {line}" for line in excerpt(comment.text)]
        lines.append("")
    if n > DETAILED:
        lines += [f"… et {n - DETAILED} autre(s).", ""]
    lines += ["Pour les lire et les modérer, connectez-vous à la console de modération\u00a0:", console_url, "",
              f"Ce message est envoyé au plus une fois toutes les {max(1, period // 60)} minutes.",
              "Message automatique du service des commentaires."]
    return "\n".join(lines) + "\n"


def compose(settings: MailSettings, new: list[Comment], waiting: int, titles, requests=None) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    subject = f"[Commentaires] {len(new)} commentaire(s) à modérer" if new or not requests else None
    message["Subject"] = a11y.subject(requests, subject) if requests else subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body(new, waiting, titles, settings.console_url, settings.period, requests), charset="utf-8")
    return message


def connect(settings: MailSettings) -> smtplib.SMTP:
    """An open, logged-in SMTP connection (OSError or smtplib.SMTPException on failure)."""
    context = ssl.create_default_context()
    if settings.security == "tls":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.user:
            client.login(settings.user, settings.password)
    except BaseException:
        client.close()
        raise
    return client


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Hand the message to the SMTP server (OSError or smtplib.SMTPException on failure)."""
    with connect(settings) as client:
        client.send_message(message)


class Notifier:
    def __init__(self, store_root: Path | str, settings: MailSettings, threads: ThreadIndex, clock=time.time,
                 also=()):
        self.also = tuple(also)  # more rounds, e.g. the commenters' mails (commenters.sender)
        self.store = CommentStore(store_root)
        self.state_path = Path(store_root) / STATE_NAME
        self.settings, self.threads, self.clock = settings, threads, clock

    def _state(self) -> dict:
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
            return state if isinstance(state, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save(self, state: dict) -> None:
        tmp = self.state_path.with_name(f".{STATE_NAME}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.state_path)

    def title(self, thread_id: str) -> str:
        thread = self.threads.get(thread_id)
        return thread.title if thread else thread_id

    def tick(self) -> bool:
        """One round: True when a mail was sent."""
        state, now = self._state(), self.clock()
        pending = self.store.list("pending")
        last_id = state.get("last_id") or ""
        new = [c for c in pending if c.id > last_id]
        requests = a11y.collect(self.store.root, now)
        if not (new or a11y.worth_a_mail(requests, state, now)) \
                or now - float(state.get("last_sent", 0)) < self.settings.period:
            return False
        message = compose(self.settings, new, len(pending), self.title, requests)
        try:
            send(self.settings, message)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("cannot send the moderation mail (%d new comments) through %s:%d: %s; retrying at the next "
                      "round", len(new), self.settings.host, self.settings.port, exc)
            return False
        self._save({"last_sent": now, "last_id": max([c.id for c in new] + [last_id]),
                    **a11y.saved(requests, state, now)})
        log.info("moderation mail sent: %d new comment(s), %d waiting", len(new), len(pending))
        return True

    def run(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.is_set():
            self.round()
            stop.wait(self.settings.poll)

    def round(self) -> None:
        """The moderators' mail, then the other rounds; a failing one never stops the others."""
        for tick in (self.tick, *self.also):
            try:
                tick()
            except Exception:  # a bad round must not end the loop
                log.exception("notification round failed; retrying at the next round")
