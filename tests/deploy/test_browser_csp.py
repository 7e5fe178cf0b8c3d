"""The site served by the repository's nginx works under its policy in
Chromium: no Content-Security-Policy violation while reading, searching and
opening the comment form (captcha through nginx)."""

from __future__ import annotations

import time

import pytest

from deploylib import ARTICLE

pytestmark = pytest.mark.timeout(180)
LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")  # the real policy: no bypass
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.add_init_script(LISTEN)
    yield page
    context.close()


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


@pytest.mark.parametrize("path", ["/", "/agenda/", "/archives/"])
def test_pages_raise_no_violation(page, stack, path):
    nginx = stack[0]
    page.goto(nginx.base + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == [] and page.js_errors == []


def test_search_and_comment_form_work_under_the_policy(page, stack):
    nginx = stack[0]
    page.goto(nginx.base + "/recherche/?q=Maubuisson")
    page.locator("#search-results li").first.wait_for()
    page.goto(nginx.base + ARTICLE)
    page.focus("#comment-name")
    wait_until(page, "document.querySelector('#comment-captcha-token').value.length > 0")
    wait_until(page, "!!document.querySelector('.comment-form img') && "
                     "document.querySelector('.comment-form img').naturalWidth > 0")
    assert page.evaluate("window.__csp") == [] and page.js_errors == []


def test_an_inline_script_is_blocked(page, stack):
    nginx = stack[0]
    page.goto(nginx.base + "/")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
    wait_until(page, "window.__csp.length > 0")
    assert page.evaluate("window.__ran === undefined")
