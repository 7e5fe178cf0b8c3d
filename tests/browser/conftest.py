"""Real-browser fixtures: Debian's Chromium driven by Playwright, against the
development launcher (built site + real comment service) on 127.0.0.1."""

from __future__ import annotations

import pytest

from browserlib import running_site


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """The development launcher with generous limits, for the whole session."""
    with running_site(tmp_path_factory.mktemp("live")) as site:
        yield site


@pytest.fixture(scope="session")
def strict_site(tmp_path_factory):
    """A second launcher that accepts one comment per 10 minutes (then 429)."""
    with running_site(tmp_path_factory.mktemp("strict"), COMMENTS_RATE_LIMIT="1/600") as site:
        yield site


@pytest.fixture
def page(browser):
    # bypass_csp: the test tooling (string predicates of wait_for_function,
    # axe-core injected inline) runs code the site's Content-Security-Policy
    # forbids; tests/browser/test_csp.py checks the pages under the real policy.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1000, "height": 900},
                                  bypass_csp=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()
