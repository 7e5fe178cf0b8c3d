"""The commenters' round of ``python -m comment_service notify``: never from a request.

Each round looks at every subscription (``records``) and sends what is due,
through one SMTP connection:

- ``requested`` and no confirmation sent yet: the confirmation mail (once);
- ``confirmed``: « publié » once the comment is approved, « non publié » once
  rejected (with the charter reason), « le Département vous a répondu » once a
  reply exists under an approved comment. Each kind at most once (``sent``).

A mail is marked sent only once the SMTP server took it; a temporary failure
is retried at the next round. A permanent refusal (5xx) puts the address on
the suppression list and stops the subscription; a suppressed address, or a
comment without address (erased, purged), gets nothing. A subscription whose
comment is gone is removed.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass
from urllib.parse import quote

from .. import defaults
from ..ops.mailsettings import MailSettings
from ..ops.notify import connect
from ..store import CommentStore, DamagedComment, NotFound
from ..web.threads import ThreadIndex
from . import links, mails
from .records import Subscriptions, stamp

log = logging.getLogger("comment_service.commenters")
DAY = 86400
OUTCOME_MAILS = {"approved": "published", "rejected": "rejected"}  # comment state -> mail


@dataclass(frozen=True)
class LinkSettings:
    """What the links need: the secret, the site's public address, the service's prefix."""

    secret: str
    site_url: str
    prefix: str
    confirm_days: int = defaults.NOTIFY_CONFIRM_DAYS
    link_days: int = defaults.NOTIFY_LINK_DAYS


def urls(cfg: LinkSettings, comment_id: str, email: str, now: float) -> tuple[str, str, str]:
    """(confirmation, rights, unsubscribe) URLs for one comment and address."""
    base = cfg.site_url.rstrip("/") + cfg.prefix
    confirm = links.make(cfg.secret, links.CONFIRM, comment_id, email, now + cfg.confirm_days * DAY)
    rights = links.make(cfg.secret, links.RIGHTS, comment_id, email, now + cfg.link_days * DAY)
    return (f"{base}{defaults.CONFIRM_PATH}/{quote(confirm)}", f"{base}{defaults.RIGHTS_PATH}/{quote(rights)}",
            f"{base}{defaults.UNSUBSCRIBE_PATH}/{quote(rights)}")


class CommenterMailer:
    def __init__(self, store_root, settings: MailSettings, link_settings: LinkSettings, threads: ThreadIndex,
                 clock=time.time):
        self.store = CommentStore(store_root)
        self.subs = Subscriptions(self.store)
        self.settings, self.cfg, self.threads, self.clock = settings, link_settings, threads, clock

    def due(self) -> list[tuple[str, object, str]]:
        """(kind, comment, subscription id) of every mail due now."""
        out = []
        for comment_id in self.subs.ids():
            sub = self.subs.get(comment_id)
            if sub is None:
                continue
            try:
                comment = self.store.get(comment_id)
            except NotFound:
                self.subs.remove(comment_id)
                continue
            except DamagedComment:
                continue
            if sub.state == "stopped" or not comment.email or self.subs.suppressed(comment.email):
                continue
            if sub.state == "requested":
                if "confirm" not in sub.sent:
                    out.append(("confirm", comment, comment_id))
                continue
            kind = OUTCOME_MAILS.get(comment.status)
            if kind and kind not in sub.sent:
                out.append((kind, comment, comment_id))
            if comment.status == "approved" and "reply" not in sub.sent and self.store.reply_for(comment_id):
                out.append(("reply", comment, comment_id))
        return out

    def message(self, kind: str, comment, now: float):
        thread = self.threads.get(comment.thread)
        title = thread.title if thread else comment.thread
        page = self.cfg.site_url.rstrip("/") + (thread.url if thread else "/")
        confirm, rights, unsubscribe = urls(self.cfg, comment.id, comment.email, now)
        link = mails.Links(rights=rights, unsubscribe=unsubscribe, confirm=confirm,
                           comment=f"{page}#commentaire-{comment.id}",
                           charter=self.cfg.site_url.rstrip("/") + "/charte-de-moderation/")
        days = {"confirm": self.cfg.confirm_days, "rights": self.cfg.link_days}
        reply = self.store.reply_for(comment.id) if kind == "reply" else None
        text = mails.body(kind, comment.name, title, link, days, reason=comment.reason,
                          text=reply.text if reply else comment.text, service=reply.service if reply else "")
        return mails.compose(kind, self.settings.sender, comment.email, text, link)

    def tick(self) -> int:
        """One round: the number of mails sent."""
        due, now, sent = self.due(), self.clock(), 0
        if not due:
            return 0
        try:
            client = connect(self.settings)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("cannot reach %s:%d for %d commenter mail(s): %s; retrying at the next round",
                      self.settings.host, self.settings.port, len(due), exc)
            return 0
        with client:
            for kind, comment, comment_id in due:
                sent += self._send_one(client, kind, comment, comment_id, now)
        return sent

    def _send_one(self, client, kind: str, comment, comment_id: str, now: float) -> int:
        try:
            client.send_message(self.message(kind, comment, now))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            return self._refused(comment, comment_id, kind, min(codes) if codes else 0)
        except smtplib.SMTPResponseException as exc:
            return self._refused(comment, comment_id, kind, exc.smtp_code)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("cannot send the %s mail of comment %s: %s; retrying at the next round", kind, comment_id, exc)
            return 0

        def mark(sub):
            sub.sent[kind] = stamp(now)
        self.subs.update(comment_id, mark)
        log.info("commenter mail %s sent for comment %s", kind, comment_id)
        return 1

    def _refused(self, comment, comment_id: str, kind: str, code: int) -> int:
        if 500 <= code < 600:  # permanent: never again
            self.subs.suppress(comment.email)

            def stop(sub):
                sub.state = "stopped"
            self.subs.update(comment_id, stop)
            log.warning("the %s mail of comment %s was refused for good (%d): address suppressed",
                        kind, comment_id, code)
        else:
            log.error("the %s mail of comment %s was refused for now (%d); retrying at the next round",
                      kind, comment_id, code)
        return 0
