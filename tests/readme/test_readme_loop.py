"""The README's loop, exactly as written, in a fresh checkout with no setting
in the environment: `make serve`, a comment posted through the article's form
(its security code read where the README says a developer finds it), a
moderator added with the documented command, the approval made in the console
(and then on the command line), and the article shows the comment within 2 s;
Ctrl-C then stops everything quietly."""

from __future__ import annotations

import re
import signal
import time

import pytest
from playwright.sync_api import expect

from readmelib import Serve, fresh_checkout

pytestmark = pytest.mark.timeout(900)

ARTICLE = "/2014/06/12/inventer-les-services-publics-de-demain/"  # README step 1
PASSWORD = "une phrase de passe assez longue"
DEV_CODE = re.compile("code de sécurité \\(développement\\)\u00a0: ([A-Z0-9]{5})")


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    folder = fresh_checkout(tmp_path_factory.mktemp("clone"))
    server = Serve(folder, folder.parent / "make-serve.log")
    yield server
    server.stop()


def post_through_the_page(page, serve, name: str, text: str) -> None:
    page.goto(serve.url(ARTICLE))
    page.focus("#comment-name")
    expect(page.locator("#comment-captcha-token")).not_to_have_value("")  # under the site's real CSP
    page.fill("#comment-name", name)
    page.fill("#comment-text", text)
    deadline = time.monotonic() + 10
    while not (codes := DEV_CODE.findall(serve.output())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert codes, "the development security code is not in make serve's output"
    page.fill("#comment-captcha-answer", codes[-1])
    time.sleep(3)  # the service refuses a form filled faster than a person can (3 s by default)
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-form-status").wait_for(state="visible")
    assert "envoyé" in page.inner_text("#comment-form-status")


def shown_within(serve, text: str, seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if text in serve.get(ARTICLE):
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{text!r} is not on {ARTICLE} {seconds} s after the approval:\n"
                         + serve.output()[-3000:])


def test_the_readme_loop_as_written(serve, browser):
    assert serve.folder.name.startswith("clone")  # never the developer's own var/
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        # 1. a comment through the form
        first = f"Premier commentaire du parcours ({time.time_ns()})"
        post_through_the_page(page, serve, "Camille", first)

        # 2. a moderator, with the documented command (password on standard input)
        added = serve.run(".venv/bin/python", "-m", "comment_service", "moderators", "add", "moi",
                          stdin=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
        page.goto(serve.url("/commentaires/moderation/"))
        page.fill("#identifiant", "moi")
        page.fill("#mot_de_passe", PASSWORD)
        page.click("button[type=submit]")
        item = page.locator("li", has_text=first).last
        item.get_by_role("button", name="Publier").click()
        assert "1 commentaire(s) publié(s)." in page.locator("[role=status]").inner_text()

        # 3. the article shows it
        shown_within(serve, first, 2.0)

        # the same with the command-line approval
        second = f"Second commentaire du parcours ({time.time_ns()})"
        post_through_the_page(page, serve, "Dominique", second)
        listed = serve.run(".venv/bin/python", "-m", "comment_service", "list")
        assert listed.returncode == 0, listed.stderr
        line = next(line for line in listed.stdout.splitlines() if "Dominique" in line)
        comment_id = line.split()[0]
        approved = serve.run(".venv/bin/python", "-m", "comment_service", "approve", comment_id)
        assert approved.returncode == 0, approved.stderr
        shown_within(serve, second, 2.0)
    finally:
        context.close()


def test_ctrl_c_stops_quietly_in_french(serve):
    status = serve.interrupt()
    output = serve.output()
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output[-3000:]
    assert "make: ***" not in output, output[-3000:]
    assert output.rstrip().splitlines()[-1].startswith("Arrêté"), output[-1000:]
    assert status in (0, -signal.SIGINT), status  # make itself then ends by the SIGINT, as any shell job (130)
