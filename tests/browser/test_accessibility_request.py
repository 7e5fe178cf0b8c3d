"""The accessibility request form in Chromium, against the development launcher
(built site + comment service): sent with JavaScript (the security code comes
onto the page) and without (the service's page asks for it, everything typed
kept); the moderator answers in the console. axe-core and the Nu HTML Checker
find nothing on the form, the service's pages and the console's views."""

from __future__ import annotations

import subprocess
import sys

import pytest

from browserlib import running_site
from comment_service.accessibility.records import Requests
from quality.qualitylib import assert_no_violations, axe_js, describe_vnu, run_axe, run_vnu, vnu  # noqa: F401
from support import ROOT

pytestmark = pytest.mark.timeout(300)

STATEMENT = "/accessibilite/"
CONSOLE = "/commentaires/moderation"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(tmp_path_factory.mktemp("a11yreq")) as live:
        result = subprocess.run([sys.executable, "-m", "comment_service", "moderators", "add", "alice"],
                                cwd=ROOT, env=live.env, input=PASSWORD + "\n", capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        live.requests = Requests(live.store)
        yield live


def fill(page, text):
    page.fill("#a11y-name", "Léa Navigateur")
    page.fill("#a11y-email", "lea@example.org")
    page.fill("#a11y-page", "https://www.valdoise.fr/agenda/")
    page.fill("#a11y-text", text)


@pytest.fixture
def csp_page(browser):
    """A page under the site's real Content-Security-Policy (no bypass): the
    script, its fetch of the code and the image must all be allowed."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.on("console", lambda m: m.type == "error" and page.js_errors.append(m.text))
    yield page
    context.close()


def test_with_javascript_the_code_comes_onto_the_page(csp_page, site):
    page = csp_page
    page.goto(site.url(STATEMENT))
    fill(page, "Le calendrier ne se lit pas au clavier (avec script).")
    assert "53" in page.locator("#a11y-text-count").inner_text()  # the live count
    page.wait_for_selector("#a11y-captcha-image", state="visible")
    assert page.locator("[data-nojs-note]").is_hidden()
    first = page.input_value("#a11y-captcha-token")
    page.get_by_role("button", name="Régénérer le code de sécurité").click()
    for _ in range(100):
        token = page.input_value("#a11y-captcha-token")
        if token != first:
            break
        page.wait_for_timeout(100)
    assert token != first
    page.fill("#a11y-captcha-answer", site.answer(token))
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url("**/accessibilite/demande/recue")
    assert page.locator("h1").inner_text() == "Demande reçue"
    assert "Libre réponse 71120" in page.locator("main").inner_text()
    assert any(r.text == "Le calendrier ne se lit pas au clavier (avec script)." for r in site.requests.all())
    assert page.js_errors == []


def test_without_javascript_the_service_asks_for_the_code_and_keeps_the_text(nojs_page, site):
    page = nojs_page
    page.goto(site.url(STATEMENT))
    assert page.locator("#a11y-captcha").is_hidden()
    fill(page, "Sans script : la vidéo n’a pas de sous-titres.")
    page.get_by_role("button", name="Envoyer la demande").click()
    assert "recopiez le code de sécurité" in page.locator("[role=alert]").inner_text()
    assert page.input_value("#a11y-text") == "Sans script : la vidéo n’a pas de sous-titres."
    assert page.input_value("#a11y-email") == "lea@example.org"
    token = page.input_value("#a11y-captcha-token")
    page.fill("#a11y-captcha-answer", site.answer(token))
    page.get_by_role("button", name="Envoyer la demande").click()
    assert page.locator("h1").inner_text() == "Demande reçue"
    assert any(r.text == "Sans script : la vidéo n’a pas de sous-titres." for r in site.requests.all())


def login(page, site):
    page.goto(site.url(CONSOLE + "/"))
    page.fill("#identifiant", "alice")
    page.fill("#mot_de_passe", PASSWORD)
    page.click("button[type=submit]")


def test_axe_and_vnu_find_nothing(page, site, axe_js, vnu, tmp_path):  # noqa: F811
    request = site.requests.add("Axe Vérifie", "axe@example.org", "", "Une demande à vérifier.")
    pages = {}
    page.goto(site.url(STATEMENT))
    page.focus("#a11y-name")
    page.wait_for_selector("#a11y-captcha-image", state="visible")
    assert_no_violations(run_axe(page, axe_js), "statement page with the form")
    page.goto(site.url(STATEMENT))
    page.get_by_role("button", name="Envoyer la demande").click()  # everything missing: the service's page
    page.wait_for_selector("[role=alert]")
    pages["form-errors"] = page.content()
    assert_no_violations(run_axe(page, axe_js), "service form page with errors")
    page.goto(site.url("/commentaires/accessibilite/demande/recue"))
    pages["ack"] = page.content()
    assert_no_violations(run_axe(page, axe_js), "acknowledgement page")
    login(page, site)
    page.get_by_role("link", name="Accessibilité").click()
    assert page.locator("h1").inner_text() == "Demandes d’accessibilité"
    pages["console-list"] = page.content()
    assert_no_violations(run_axe(page, axe_js), "console list")
    page.goto(site.url(f"{CONSOLE}/accessibilite/{request.id}"))
    page.get_by_role("button", name="Enregistrer et envoyer la réponse").click()  # empty: an error
    pages["console-error"] = page.content()
    assert_no_violations(run_axe(page, axe_js), "console detail with an error")
    page.fill("#reponse", "Voici le contenu sous une autre forme.")
    page.get_by_role("button", name="Enregistrer et envoyer la réponse").click()
    assert "Réponse enregistrée" in page.locator("[role=status]").inner_text()
    assert site.requests.get(request.id).answer["text"] == "Voici le contenu sous une autre forme."
    pages["console-answered"] = page.content()
    assert_no_violations(run_axe(page, axe_js), "console detail answered")
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    statement = urllib_get(site.url(STATEMENT))
    (tmp_path / "statement.html").write_text(statement, encoding="utf-8")
    errors = run_vnu(vnu, tmp_path)
    assert errors == [], describe_vnu(errors, tmp_path)


def urllib_get(url: str) -> str:
    import urllib.request
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")
