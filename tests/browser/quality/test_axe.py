"""axe-core in headless Chromium, on every kind of page of the live site
(the development launcher: built site + comment service): no violation of
the WCAG 2.0 / 2.1 A and AA rules (RGAA 4.1's automatable part)."""

from __future__ import annotations

import pytest

from livelib import COMMENTED
from quality.qualitylib import assert_no_violations, run_axe

pytestmark = pytest.mark.timeout(240)

PAGES = {
    "home": "/",
    "home-page-2": "/page/2/",
    "article-with-comments-and-form": COMMENTED,
    "event": "/agenda/reunion-publique-sur-lamenagement-de-la-rd-14/",
    "past-event": "/agenda/colloque-futurs-composes-2014/",
    "agenda": "/agenda/",
    "past-agenda": "/agenda/passes/",
    "category": "/categorie/culture-et-patrimoine/",
    "categories": "/categories/",
    "tag": "/etiquette/maubuisson/",
    "tags": "/etiquettes/",
    "archives": "/archives/",
    "page": "/accessibilite/",
    "site-plan": "/plan-du-site/",
    "legal-notice": "/mentions-legales/",
    "moderation-stats": "/donnees/moderation/",
    "easy-to-read": "/charte-de-moderation-facile/",
    "search-empty": "/recherche/",
    "404": "/cette-page-n-existe-pas/",
}


@pytest.mark.autocheck("axe")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_has_no_axe_violation(name, page, commented_site, axe_js):
    response = page.goto(commented_site.url(PAGES[name]))
    assert response.status == (404 if name == "404" else 200), PAGES[name]
    if name == "article-with-comments-and-form":
        page.locator(".comment").first.wait_for()
        page.focus("#comment-name")  # the captcha is fetched when the form is used
        page.wait_for_function(
            "document.querySelector('#comment-captcha-token').value.length > 0")
        page.wait_for_function("document.querySelector('#comment-captcha-image').complete")
    assert_no_violations(run_axe(page, axe_js), name)


@pytest.mark.autocheck("axe")
def test_search_results_have_no_axe_violation(page, commented_site, axe_js):
    page.goto(commented_site.url("/recherche/?q=Maubuisson"))
    page.locator("#search-results li").first.wait_for()
    assert_no_violations(run_axe(page, axe_js), "search results")


@pytest.mark.autocheck("axe")
def test_form_error_state_has_no_axe_violation(page, commented_site, axe_js):
    """Sent empty, with JavaScript: error summary and inline errors."""
    page.goto(commented_site.url(COMMENTED))
    page.focus("#comment-name")
    page.wait_for_function("document.querySelector('#comment-captcha-token').value.length > 0")
    page.click("button[type=submit]")
    page.locator("#comment-form-errors").wait_for(state="visible")
    assert page.locator("#comment-name-error").is_visible()
    assert_no_violations(run_axe(page, axe_js), "form error state")


@pytest.mark.autocheck("axe")
@pytest.mark.parametrize("fill", [False, True], ids=["empty", "code-step"])
def test_service_no_js_pages_have_no_axe_violation(browser, commented_site, axe_js, fill):
    """The comment service's own page (what a visitor without JavaScript
    gets): sent empty (errors), or with name and text (the security code step).
    Its Content-Security-Policy forbids every script: bypassed for axe."""
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.goto(commented_site.url(COMMENTED))
    if fill:
        page.fill("#comment-name", "Sans JavaScript")
        page.fill("#comment-text", "Un commentaire envoyé sans script.")
    # Post the form as a browser without JavaScript would: no script, no token.
    page.evaluate("""() => {
        const form = document.querySelector('form[data-comment-form]');
        form.querySelector('#comment-captcha-token').value = '';
        HTMLFormElement.prototype.submit.call(form);
    }""")
    page.wait_for_selector("input[name=captcha_answer]")
    assert "/commentaires/" in page.url
    assert page.locator(".error-summary").is_visible()
    try:
        assert_no_violations(run_axe(page, axe_js),
                             f"service page ({'code step' if fill else 'empty'})")
    finally:
        context.close()


def test_axe_harness_reports_a_known_violation(page, axe_js):
    """The check can fail: a page without language and an image without text."""
    page.set_content('<!DOCTYPE html><html><head><title>t</title></head>'
                     '<body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>')
    ids = {v["id"] for v in run_axe(page, axe_js)}
    assert {"html-has-lang", "image-alt"} <= ids, ids
