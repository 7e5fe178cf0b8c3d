"""The Département's reply under a comment: write, edit, remove.

The reply is checked like a visitor's text (line endings, NFC, no control
character, not blank, a maximum length), stored by the store in its own file
(``CommentStore.set_reply``) and published with its comment once the
comment is approved.
"""

from __future__ import annotations

import unicodedata

from .. import defaults
from ..web.httpio import HTTPError, Request
from ..web.render import Response
from ..store import DamagedComment, NotFound, StoreError
from ..rules.validation import normalise_text
from . import texts, views, web
from .sessions import Session

SERVICE_MAX = 120


def _forbidden(char: str, newlines: bool) -> bool:
    if newlines and char in "\n\t":
        return False
    return char in "\u2028\u2029" or unicodedata.category(char) in ("Cc", "Cs")


def check(service: str, text: str) -> tuple[str, str, dict[str, str]]:
    """(service, text, errors by field) for a reply form."""
    service = unicodedata.normalize("NFC", service).strip()
    text = normalise_text(text).strip()
    errors = {}
    if not service:
        errors["service"] = texts.REPLY_MISSING_SERVICE
    elif len(service) > SERVICE_MAX or any(_forbidden(c, False) for c in service):
        errors["service"] = texts.REPLY_CONTROL
    if not text:
        errors["texte"] = texts.REPLY_MISSING_TEXT
    elif any(_forbidden(c, True) for c in text):
        errors["texte"] = texts.REPLY_CONTROL
    elif len(text) > defaults.REPLY_MAX_LENGTH:
        errors["texte"] = texts.REPLY_TOO_LONG.format(max=defaults.REPLY_MAX_LENGTH, count=len(text))
    return service, text, errors


def handle(console, request: Request, session: Session, comment_id: str, form: dict[str, list[str]]) -> Response:
    try:
        comment = console.store.get(comment_id)
    except (NotFound, DamagedComment):
        raise HTTPError(404, texts.GONE) from None
    back = web.url(console.config, views.VIEW_PATHS[comment.status]) + f"#c-{comment.id}"
    reply = console.store.reply_for(comment_id)
    values = {"service": reply.service if reply else "", "texte": reply.text if reply else ""}
    errors, status = {}, 200
    if request.method == "POST":
        actor = console.actor(request, session)
        if web.first(form, "action") == "retirer":
            removed = console.store.remove_reply(comment_id)
            if removed is not None:
                console.audit.append(actor.account, "reply-remove", comment_id=comment_id, thread=comment.thread,
                                     source="console", address=actor.address)
            console.flash(session, _published(console, comment.status, texts.REPLY_REMOVED))
            return web.redirect(back)
        service, text, errors = check(web.first(form, "service"), web.first(form, "texte"))
        values = {"service": web.first(form, "service"), "texte": web.first(form, "texte")}
        if not errors:
            try:
                console.store.set_reply(comment_id, service, text, actor.account)
            except (NotFound, DamagedComment):
                raise HTTPError(404, texts.GONE) from None
            except StoreError:
                raise HTTPError(503, texts.STORE_FAILED, [("Retry-After", "60")]) from None
            console.audit.append(actor.account, "reply-edit" if reply else "reply", comment_id=comment_id,
                                 thread=comment.thread, source="console", address=actor.address)
            console.flash(session, _published(console, comment.status, texts.REPLY_SAVED))
            return web.redirect(back)
        status = 400
    item = views.item(comment, console.threads.get(comment.thread), console.config.site_url, reply)
    html = views.render("reply.html", **console.common(session, request), item=item, values=values,
                        errors=errors, back=back, max_length=defaults.REPLY_MAX_LENGTH)
    return web.page(console.config, status, html)


def _published(console, status: str, done: str) -> list[str]:
    if status == "approved":
        return [done, texts.PUBLICATION[console.config.publication]]
    return [done, texts.REPLY_PENDING_NOTE]
