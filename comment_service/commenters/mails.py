"""The commenters' mails: plain-text French, the site's name, no tracking (pure).

Headers hold nothing a visitor wrote: the subject is fixed, the recipient is
the one visitor datum (the address, already validated when the comment was
posted). Every mail carries the personal rights link, and, but the
confirmation, the RFC 8058 one-click unsubscribe headers. A rejected comment
is never mailed back: at most its first ``EXCERPT_CHARS`` characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from ..rules import messages as msg
from ..rules import reasons
from ..ops.notify import _clean

EXCERPT_CHARS = 80


@dataclass(frozen=True)
class Links:
    rights: str  # the personal rights page
    unsubscribe: str  # the RFC 8058 target
    confirm: str = ""  # the confirmation page (confirmation mail only)
    comment: str = ""  # the comment on its page
    charter: str = ""


def short_excerpt(text: str) -> str:
    one_line = " ".join(_clean(text).split())
    return one_line if len(one_line) <= EXCERPT_CHARS else one_line[:EXCERPT_CHARS - 1].rstrip() + "…"


def body(kind: str, name: str, title: str, links: Links, days: dict[str, int], *, reason: str | None = None,
         text: str = "", service: str = "") -> str:
    title = _clean(title)
    lines = [msg.MAIL_HELLO.format(name=_clean(name)), ""]
    if kind == "confirm":
        lines += [msg.MAIL_CONFIRM.format(title=title, days=days["confirm"]), links.confirm, "",
                  msg.MAIL_CONFIRM_IGNORE, ""]
    elif kind == "published":
        lines += [msg.MAIL_PUBLISHED.format(title=title), links.comment, ""]
    elif kind == "rejected":
        lines += [msg.MAIL_REJECTED.format(title=title, reason=reasons.label(reason)),
                  msg.MAIL_EXCERPT.format(excerpt=short_excerpt(text)), "",
                  msg.MAIL_CHARTER.format(url=links.charter), ""]
    elif kind == "reply":
        lines += [msg.MAIL_REPLY.format(service=_clean(service), title=title), ""]
        lines += [_clean(line).rstrip() for line in text.strip().split("\n")]
        lines += ["", msg.MAIL_REPLY_LINK, links.comment, ""]
    else:
        raise ValueError(kind)
    lines += [msg.MAIL_RIGHTS.format(days=days["rights"]), links.rights, "", "-- ",
              msg.MAIL_SIGNATURE.format(site=msg.SITE_NAME)]
    return "\n".join(lines) + "\n"


def compose(kind: str, sender: str, recipient: str, text: str, links: Links) -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["Subject"] = msg.MAIL_SUBJECTS[kind].format(site=msg.SITE_NAME)
    message["From"] = f"{msg.SITE_NAME} <{sender}>"
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    if kind != "confirm":  # nothing to unsubscribe from before the confirmation
        message["List-Unsubscribe"] = f"<{links.unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, charset="utf-8")
    return message
