"""Commenters heard back (issue 25), against a real SMTP server on 127.0.0.1:
double opt-in, « publié », « non publié », the Département's reply, nothing
twice, nothing before the confirmation, one-click unsubscribe, bounces, the
links' safety, the rate limits and the retention."""

from __future__ import annotations

from html import unescape
from datetime import datetime, timedelta, timezone

from comment_service.rules import messages as msg
from comment_service.rules import reasons
from comment_service.commenters import links
from comment_service.commenters.records import address_hash
from comment_service.config import Shared
from comment_service.ops.personal_data import purge
from comment_service.store import NotFound
from comment_testlib import SECRET, SITE, THREAD, THREAD_URL
from commenterlib import BOUNCING, links_in, path_of, smtp, world  # noqa: F401 (fixtures)

import pytest


def confirm(world, comment_id: str) -> None:
    """Send the confirmation mail, follow its link as a person does (GET, then the button)."""
    [mail] = world.round()
    assert mail["Subject"] == msg.MAIL_SUBJECTS["confirm"].format(site=msg.SITE_NAME)
    [url, rights] = [u for u in links_in(mail) if "/confirmation/" in u or "/mon-commentaire/" in u]
    assert world.client.request("GET", path_of(url)).status == 200
    assert world.subs.get(comment_id).state == "requested"  # a GET never acts
    resp = world.client.request("POST", path_of(url), b"", content_type="application/x-www-form-urlencoded")
    assert resp.status == 200 and msg.CONFIRMED in unescape(resp.text)
    assert world.subs.get(comment_id).state == "confirmed"


def test_confirm_then_approve_sends_published_with_the_link_to_the_comment(world):
    comment_id = world.post()
    assert world.subs.get(comment_id).state == "requested"
    confirm(world, comment_id)
    assert world.round() == []  # still pending: nothing to say
    world.store.move(comment_id, "approved")
    [mail] = world.round()
    assert mail["To"] == "zoe@example.org"
    assert mail["Subject"] == f"[{msg.SITE_NAME}] Votre commentaire est publié"
    assert f"{SITE}{THREAD_URL}#commentaire-{comment_id}" in links_in(mail)
    assert mail["List-Unsubscribe"].startswith(f"<{SITE}/commentaires/desabonnement/{comment_id}.")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_content_type() == "text/plain" and "Zoé" not in str(mail["Subject"])
    assert world.round() == []  # never twice
    assert set(world.subs.get(comment_id).sent) == {"confirm", "published"}


def test_reject_with_a_reason_names_it_and_never_mails_the_text_back(world):
    text = "Début du texte. " + "Suite qui ne doit jamais revenir par courriel. " * 8
    comment_id = world.post(text=text)
    confirm(world, comment_id)
    world.store.move(comment_id, "rejected", reason="publicite")
    [mail] = world.round()
    body = mail.get_content().replace("\r\n", "\n")
    assert mail["Subject"] == f"[{msg.SITE_NAME}] Votre commentaire n'a pas été publié"
    assert reasons.REASONS["publicite"] in body
    assert text.strip() not in body and "Début du texte." in body
    quoted = body.split("«\u00a0", 2)[2].split("\u00a0»")[0]  # the excerpt, after the title's quotes
    assert len(quoted) <= 80


def test_the_official_reply_is_mailed_with_its_text_and_link(world):
    comment_id = world.post()
    confirm(world, comment_id)
    world.store.move(comment_id, "approved")
    world.round()
    world.store.set_reply(comment_id, "Direction des routes", "Les travaux finiront en mars.\nMerci.", "alice")
    [mail] = world.round()
    body = mail.get_content().replace("\r\n", "\n")
    assert mail["Subject"] == f"[{msg.SITE_NAME}] Le Département vous a répondu"
    assert "Direction des routes" in body and "Les travaux finiront en mars.\nMerci." in body
    assert f"{SITE}{THREAD_URL}#commentaire-{comment_id}" in links_in(mail)
    assert world.round() == []


def test_nothing_but_the_confirmation_before_the_link_is_followed(world):
    comment_id = world.post()
    [mail] = world.round()
    assert "List-Unsubscribe" not in mail
    world.store.move(comment_id, "approved")
    world.store.set_reply(comment_id, "Service", "Une réponse.", "alice")
    for _ in range(3):
        assert world.round() == []  # no second confirmation, no news


def test_no_box_or_no_address_no_subscription(world):
    unchecked = world.post(notify="")
    assert world.subs.get(unchecked) is None
    data = world.client.fields(email="", notify="oui")
    resp = world.client.post_json(data=data)
    assert resp.status == 400 and resp.json["errors"]["email"] == msg.NOTIFY_NEEDS_EMAIL
    assert world.round() == []


def test_one_click_unsubscribe_by_post_only(world):
    comment_id = world.post()
    confirm(world, comment_id)
    world.store.move(comment_id, "approved")
    [mail] = world.round()
    url = mail["List-Unsubscribe"].strip("<>")
    page = world.client.request("GET", path_of(url))
    assert page.status == 200 and msg.UNSUBSCRIBE_BUTTON in unescape(page.text) and 'method="post"' in page.text
    assert world.subs.get(comment_id).state == "confirmed"  # the GET only showed a button
    resp = world.client.request("POST", path_of(url), b"List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert resp.status == 200 and msg.STOPPED in unescape(resp.text)
    assert world.subs.get(comment_id).state == "stopped" and world.subs.suppressed("ZOE@example.org")
    world.store.set_reply(comment_id, "Service", "Une réponse.", "alice")
    assert world.round() == []
    again = world.post()  # the same address asks again: never mailed
    assert world.subs.get(again) is None and world.round() == []


def test_a_bounced_address_is_never_mailed_again(world):
    comment_id = world.post(email_address=BOUNCING)
    assert world.round() == []
    assert world.subs.get(comment_id).state == "stopped" and world.subs.suppressed(BOUNCING)
    assert (world.store.root / "notifications" / "suppressed" / address_hash(BOUNCING)).exists()
    assert BOUNCING not in "".join(p.name for p in (world.store.root / "notifications").rglob("*"))
    world.post(email_address=BOUNCING)
    assert world.round() == []


def test_expired_altered_or_foreign_links_are_refused_alike(world):
    comment_id = world.post()
    [mail] = world.round()
    rights = next(u for u in links_in(mail) if "/mon-commentaire/" in u)
    assert world.client.request("GET", path_of(rights)).status == 200
    token = rights.rsplit("/", 1)[1]
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_purpose = links.make(SECRET, links.CONFIRM, comment_id, "zoe@example.org", world.clock() + 999)
    other_address = links.make(SECRET, links.RIGHTS, comment_id, "autre@example.org", world.clock() + 999)
    ghost = links.make(SECRET, links.RIGHTS, "20260101T000000000000Z-0123456789ab", "zoe@example.org",
                       world.clock() + 999)
    answers = [world.client.request("GET", f"/commentaires/mon-commentaire/{t}")
               for t in (altered, other_purpose, other_address, ghost, "n'importe-quoi")]
    assert {a.status for a in answers} == {404}
    assert len({a.body for a in answers}) == 1  # the same page, whether the comment exists or not
    post = world.client.request("POST", f"/commentaires/mon-commentaire/{altered}", b"",
                                content_type="application/x-www-form-urlencoded")
    assert post.status == 404 and post.body == answers[0].body
    world.store.get(comment_id)  # nothing withdrawn
    world.clock.advance(61 * 86400)  # past NOTIFY_LINK_DAYS
    expired = world.client.request("GET", path_of(rights))
    assert expired.status == 404 and expired.body == answers[0].body


def test_a_foreign_origin_cannot_post(world):
    comment_id = world.post()
    [mail] = world.round()
    rights = next(u for u in links_in(mail) if "/mon-commentaire/" in u)
    resp = world.client.request("POST", path_of(rights), b"", content_type="application/x-www-form-urlencoded",
                                headers={"Origin": "https://evil.example"})
    assert resp.status == 403
    world.store.get(comment_id)


def test_confirmation_requests_are_rate_limited_per_address(world):
    ids = [world.post(email_address="meme@example.org") for _ in range(4)]
    assert [world.subs.get(i) is not None for i in ids] == [True, True, True, False]
    assert len(world.round()) == 3


def test_purge_removes_the_address_once_the_reply_window_closed(world):
    comment_id = world.post()
    confirm(world, comment_id)
    world.store.move(comment_id, "approved")
    world.round()
    shared = Shared(notify_window_days=30)
    now = datetime.now(timezone.utc)
    report = purge(world.store, shared, now + timedelta(days=29))
    assert report.subscriptions_removed == [] and world.store.get(comment_id).email == "zoe@example.org"
    report = purge(world.store, shared, now + timedelta(days=31))
    assert report.subscriptions_removed == [comment_id] and comment_id in report.emails_removed
    assert world.store.get(comment_id).email == "" and world.subs.get(comment_id) is None
    world.store.set_reply(comment_id, "Service", "Trop tard.", "alice")
    assert world.round() == []


def test_an_unconfirmed_request_is_purged_after_its_link_expired(world):
    comment_id = world.post()
    world.round()
    report = purge(world.store, Shared(), datetime.now(timezone.utc) + timedelta(days=8))
    assert report.subscriptions_removed == [comment_id] and world.subs.get(comment_id) is None


def test_the_no_js_form_keeps_the_box_on_every_error(world):
    for fields, field_error in ((dict(name=""), "name"), (dict(email=""), "email"),
                                (dict(captcha_answer="faux"), "captcha_answer")):
        data = world.client.fields(email="zoe@example.org", notify="oui")
        data.update(fields)
        page = world.client.post_form(data=data)
        assert page.status in (400, 422), page.status
        assert 'id="comment-notify" name="notify" value="oui"' in page.text
        box = page.text.split('id="comment-notify"', 1)[1].split(">", 1)[0]
        assert " checked" in box, (field_error, box)
    unchecked = world.client.fields(name="")
    page = world.client.post_form(data=unchecked)
    assert " checked" not in page.text.split('id="comment-notify"', 1)[1].split(">", 1)[0]
    with pytest.raises(NotFound):
        world.store.get("20260101T000000000000Z-0123456789ab")


def test_the_notify_command_mails_commenters_too(world, smtp):
    """`python -m comment_service notify --once`: the moderators' mail, then the commenters' round."""
    import subprocess
    import sys

    from comment_testlib import ROOT

    controller, inbox = smtp
    world.post()
    env = {"PATH": "/usr/bin:/bin", "COMMENTS_STORE": str(world.store.root), "COMMENTS_NOTIFY_TO": "m@example.fr",
           "COMMENTS_SMTP_HOST": "127.0.0.1", "COMMENTS_SMTP_PORT": str(controller.port),
           "COMMENTS_SMTP_SECURITY": "none", "COMMENTS_THREADS_FILE": str(world.config.threads_file),
           "COMMENTS_ENV": "production", "COMMENTS_SECRET": SECRET, "COMMENTS_SITE_URL": "https://www.valdoise.fr"}
    result = subprocess.run([sys.executable, "-m", "comment_service", "notify", "--once"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    by_recipient = {m["To"]: m for m in inbox.take()}
    assert set(by_recipient) == {"m@example.fr", "zoe@example.org"}
    confirm_url = next(u for u in links_in(by_recipient["zoe@example.org"]) if "/confirmation/" in u)
    assert confirm_url.startswith("https://www.valdoise.fr/commentaires/confirmation/")
    # The link the command signed opens the page of the service that shares its secret.
    assert world.client.request("GET", "/commentaires/confirmation/" + confirm_url.rsplit("/", 1)[1]).status == 200
    del env["COMMENTS_SECRET"]  # production without the secret: a configuration error, said plainly
    result = subprocess.run([sys.executable, "-m", "comment_service", "notify", "--once"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "COMMENTS_SECRET" in result.stderr


def test_export_includes_the_subscription_and_erase_ends_it(world):
    from comment_service.ops.personal_data import erase, export

    comment_id = world.post()
    world.round()
    data = export(world.store, "zoe@example.org", None, datetime.now(timezone.utc))
    [sub] = data["courriels_de_suivi"]
    assert sub["comment_id"] == comment_id and sub["state"] == "requested" and "confirm" in sub["sent"]
    erase(world.store, "zoe@example.org", None, anonymise=True)
    assert world.subs.get(comment_id) is None and world.store.get(comment_id).email == ""
    assert world.round() == []
