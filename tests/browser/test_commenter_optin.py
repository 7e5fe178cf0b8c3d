"""« Me prévenir par courriel » in a real browser: the box and its explanation
are accessible (axe-core finds nothing), and both sides of the form (with and
without JavaScript) keep the choice on every error, up to a stored request."""

from __future__ import annotations

import json

import pytest

from comment_service.rules import messages as msg
from quality.qualitylib import assert_no_violations, axe_js, run_axe  # noqa: F401 (fixture)

pytestmark = pytest.mark.timeout(180)

ARTICLE = "/2014/05/20/le-zip-val-doise-cherche-des-projets-a-accompagner/"


def requested(live_site) -> list[str]:
    folder = live_site.store / "notifications"
    return sorted(json.loads(p.read_text(encoding="utf-8"))["comment_id"] for p in folder.glob("*.json")) \
        if folder.is_dir() else []


def box_checked(page) -> bool:
    return page.get_by_role("checkbox", name=msg.NOTIFY_LABEL).is_checked()


def submit(page):
    page.click("button[type=submit]:not([name])")


def test_the_box_and_its_explanation_are_accessible(page, live_site, axe_js):  # noqa: F811
    page.goto(live_site.url(ARTICLE))
    box = page.get_by_role("checkbox", name=msg.NOTIFY_LABEL)
    assert box.count() == 1 and not box.is_checked()
    described = box.get_attribute("aria-describedby")
    assert page.text_content(f"#{described}") == msg.NOTIFY_HINT
    email_hint = page.get_attribute("#comment-email", "aria-describedby")
    assert msg.EMAIL_PURPOSE in page.text_content(f"#{email_hint}")
    box.check()
    assert_no_violations(run_axe(page, axe_js), "article form, box checked")


def test_with_javascript_the_choice_survives_every_error(page, live_site, axe_js):  # noqa: F811
    page.goto(live_site.url(ARTICLE))
    page.focus("#comment-name")
    page.wait_for_function("document.querySelector('#comment-captcha-token').value.length > 0")
    page.get_by_role("checkbox", name=msg.NOTIFY_LABEL).check()
    page.fill("#comment-text", "Prévenez-moi, avec JavaScript.")
    submit(page)  # no name
    page.locator("#comment-name-error").wait_for(state="visible")
    assert box_checked(page)
    page.fill("#comment-name", "Avec JS")
    page.fill("#comment-captcha-answer", live_site.answer(page.input_value("#comment-captcha-token")))
    submit(page)  # the box without an address
    page.locator("#comment-email-error").wait_for(state="visible")
    assert msg.NOTIFY_NEEDS_EMAIL in page.text_content("#comment-email-error") and box_checked(page)
    assert_no_violations(run_axe(page, axe_js), "article form, address missing")
    page.fill("#comment-email", "avec.js@example.org")
    page.wait_for_function("document.querySelector('#comment-captcha-token').value.length > 0")
    page.fill("#comment-captcha-answer", "ZZZZZ")
    submit(page)  # a wrong code
    page.locator("#comment-captcha-answer-error").wait_for(state="visible")
    assert box_checked(page)
    before = requested(live_site)
    page.wait_for_function("document.querySelector('#comment-captcha-token').value.length > 0")
    page.fill("#comment-captcha-answer", live_site.answer(page.input_value("#comment-captcha-token")))
    submit(page)
    page.locator("#comment-form-status").wait_for(state="visible")
    assert len(requested(live_site)) == len(before) + 1


def test_without_javascript_the_choice_survives_every_error(nojs_page, live_site):
    page = nojs_page
    page.goto(live_site.url(ARTICLE))
    page.get_by_role("checkbox", name=msg.NOTIFY_LABEL).check()
    page.fill("#comment-name", "Sans JS")
    page.fill("#comment-text", "Prévenez-moi, sans JavaScript.")
    submit(page)  # to the service's page: the code, and the address the box needs
    page.wait_for_selector("input[name=captcha_answer]")
    assert "/commentaires/fils/" in page.url and box_checked(page)
    assert msg.NOTIFY_NEEDS_EMAIL in page.text_content("#comment-email-error")
    page.fill("#comment-email", "sans.js@example.org")
    page.fill("input[name=captcha_answer]", "ZZZZZ")
    submit(page)  # a wrong code
    page.wait_for_selector("#comment-captcha-answer-error")
    assert box_checked(page)
    page.fill("#comment-name", "")
    submit(page)  # no name
    page.wait_for_selector("#comment-name-error:not([hidden])")
    assert box_checked(page)
    page.click("button[name=action]")  # « Régénérer »: nothing lost
    page.wait_for_selector("input[name=captcha_answer]")
    assert box_checked(page)
    before = requested(live_site)
    page.fill("#comment-name", "Sans JS")
    token = page.input_value("input[name=captcha_token]")
    page.fill("input[name=captcha_answer]", live_site.answer(token))
    submit(page)
    page.wait_for_url(f"**{ARTICLE}**")
    assert len(requested(live_site)) == len(before) + 1


def test_the_commenters_pages_have_no_axe_violation(browser, live_site, axe_js):  # noqa: F811
    """The rights page (with its two buttons), confirmation, unsubscribe, an invalid link."""
    import time
    from urllib.parse import urlsplit

    from browserlib import SECRET
    from comment_service.commenters.records import Subscriptions
    from comment_service.commenters.sender import LinkSettings, urls
    from comment_service.store import CommentStore

    store = CommentStore(live_site.store)
    comment = store.add("inventer-les-services-publics-de-demain", "Zoé", "zoe@example.org", "Mon avis\nen deux lignes.")
    Subscriptions(store).request(comment.id, time.time())
    confirm, rights, unsubscribe = (urlsplit(u).path for u in urls(
        LinkSettings(SECRET, live_site.url(""), "/commentaires"), comment.id, comment.email, time.time()))
    context = browser.new_context(locale="fr-FR", bypass_csp=True)  # axe is injected inline
    page = context.new_page()
    for path in (rights, confirm, unsubscribe, rights[:-1] + "x"):
        page.goto(live_site.url(path))
        assert page.locator("h1").count() == 1
        assert_no_violations(run_axe(page, axe_js), path)
    context.close()
