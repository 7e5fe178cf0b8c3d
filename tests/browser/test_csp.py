"""The development launcher sends the site's Content-Security-Policy, and the
pages work under it: no violation while reading, searching, opening the
comment form (captcha image and sound) and the agenda."""

from __future__ import annotations

import urllib.request

import pytest

from devserver import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.timeout(180)

ARTICLE = "/2014/05/20/le-zip-val-doise-cherche-des-projets-a-accompagner/"
LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


def headers(live_site, path):
    with urllib.request.urlopen(live_site.url(path), timeout=10) as answer:
        return answer.headers


@pytest.mark.parametrize("path", ["/", ARTICLE, "/recherche/", "/agenda/",
                                  "/theme/css/main.css", "/commentaires/captcha"])
def test_every_answer_carries_the_policy(live_site, path):
    assert headers(live_site, path)["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.fixture
def page(browser):
    """A page under the real policy (the shared fixture bypasses it for tooling)."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    yield page
    context.close()


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll with page.evaluate: wait_for_function evaluates its predicate with
    eval() inside the page, which the policy (rightly) refuses."""
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


def watch(page):
    page.add_init_script(LISTEN)
    return page


def violations(page):
    return page.evaluate("window.__csp")


def test_the_comment_form_works_under_the_policy(page, live_site):
    watch(page).goto(live_site.url(ARTICLE))
    page.focus("#comment-name")
    wait_until(page, "document.querySelector('#comment-captcha-token').value.length > 0")
    wait_until(page, "!!document.querySelector('.comment-form img') && "
                     "document.querySelector('.comment-form img').naturalWidth > 0")
    assert violations(page) == [] and page.js_errors == []


def test_search_works_under_the_policy(page, live_site):
    watch(page).goto(live_site.url("/recherche/?q=Maubuisson"))
    page.locator("#search-results li").first.wait_for()
    assert violations(page) == [] and page.js_errors == []


@pytest.mark.parametrize("path", ["/", "/agenda/", "/archives/", "/mentions-legales/"])
def test_pages_raise_no_violation(page, live_site, path):
    watch(page).goto(live_site.url(path))
    page.wait_for_load_state("networkidle")
    assert violations(page) == [] and page.js_errors == []


def test_an_inline_script_slipped_into_a_page_would_not_run(page, live_site):
    """What the policy is for: a script that reached a page is blocked."""
    watch(page).goto(live_site.url("/"))
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
    wait_until(page, "window.__csp.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert violations(page)[0].startswith("script-src")
