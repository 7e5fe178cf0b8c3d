"""« Signaler ce commentaire » in Chromium, against the development launcher
(built site + comment service): a reader reports a published comment from the
article's page without JavaScript, then (a second report from the same
address: the captcha is asked) with JavaScript; a moderator sees both in the
« Signalements » view and keeps the comment. axe-core finds nothing on the
report page (first form, with the captcha and an error, acknowledgement)
nor on the console's view, nor on the article with the link."""

from __future__ import annotations


import pytest

from browserlib import running_site
from comment_service.reports.records import ReportStore
from comment_service.store import CommentStore
from quality.qualitylib import assert_no_violations, axe_js, run_axe  # noqa: F401 (fixture)

pytestmark = pytest.mark.timeout(300)

THREAD = "budget-2014-les-priorites-du-departement"
ARTICLE = "/2014/04/15/budget-2014-les-priorites-du-departement/"
CONSOLE = "/commentaires/moderation"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(tmp_path_factory.mktemp("reports"), COMMENTS_REPORTS_HIDE_AFTER="0") as live:
        live.add_moderator("alice", PASSWORD)
        live.comments = CommentStore(live.store)
        live.reports = ReportStore(live.store)
        yield live


def on_the_page(site, comment_id: str) -> None:
    """Wait until the published comment and its report link reach the page."""
    site.wait_for_text(ARTICLE, f"/commentaires/signaler/{comment_id}")


@pytest.fixture(scope="module")
def comment(site):
    stored = site.comments.add(THREAD, "Gérard Signalé", "", "Un commentaire que des lecteurs signaleront.",
                               status="approved")
    on_the_page(site, stored.id)
    return stored


def report_from_the_article(page, site, comment, reason: str, details: str) -> None:
    page.goto(site.url(ARTICLE))
    page.locator(f"#commentaire-{comment.id}").get_by_role("link", name="Signaler ce commentaire").click()
    assert page.locator("h1").inner_text() == "Signaler un commentaire"
    page.get_by_label(reason).check()
    page.get_by_label("Précisions (facultatif)").fill(details)
    page.get_by_role("button", name="Envoyer le signalement").click()


def test_a_reader_reports_without_then_with_javascript(nojs_page, page, site, comment):
    report_from_the_article(nojs_page, site, comment, "Publicité, liens commerciaux ou messages répétés",
                            "Sans script")
    assert nojs_page.locator("h1").inner_text() == "Signalement reçu"
    # Second report from this address, with JavaScript: the captcha is asked.
    report_from_the_article(page, site, comment, "Attaque personnelle, y compris contre des agents ou des élus",
                            "Avec script")
    assert "recopiez le code de sécurité" in page.locator("[role=alert]").inner_text()
    assert page.get_by_label("Précisions (facultatif)").input_value() == "Avec script"
    assert page.get_by_role("link", name="Écouter le code").count() == 1
    token = page.locator("input[name=captcha_token]").input_value()
    page.get_by_label("Code recopié").fill(site.answer(token))
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.locator("h1").inner_text() == "Signalement reçu"
    assert page.js_errors == []
    stored = site.reports.for_comment(comment.id)
    assert [(r.reason, r.message) for r in stored] == [("publicite", "Sans script"),
                                                      ("attaque-personnelle", "Avec script")]


def test_no_axe_violation_on_the_report_page_and_the_console_view(browser, site, comment, axe_js):  # noqa: F811
    context = browser.new_context(locale="fr-FR", bypass_csp=True)  # axe is injected inline
    page = context.new_page()

    def check(name):
        assert_no_violations(run_axe(page, axe_js), name)

    page.goto(site.url(ARTICLE))
    check("article with the report link under a published comment")
    page.goto(site.url(f"/commentaires/signaler/{comment.id}"))
    check("report form")
    page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.locator("[role=alert]").count() == 1
    check("report form, reason missing")
    page.locator("input[name=motif]").first.check()
    page.get_by_role("button", name="Envoyer le signalement").click()
    if page.locator("input[name=captcha_token]").count():
        check("report form, captcha asked")
        token = page.locator("input[name=captcha_token]").input_value()
        page.get_by_label("Code recopié").fill(site.answer(token))
        page.get_by_role("button", name="Envoyer le signalement").click()
    assert page.locator("h1").inner_text() == "Signalement reçu"
    check("acknowledgement")
    page.goto(site.url(CONSOLE + "/connexion"))
    page.fill("#identifiant", "alice")
    page.fill("#mot_de_passe", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="Signalements").click()
    item = page.locator(f"#c-{comment.id}")
    assert "Signalements ouverts" in item.inner_text()
    check("console, reports view")
    item.get_by_role("button", name="Maintenir").click()
    assert "Commentaire maintenu" in page.locator("[role=status]").inner_text()
    check("console, reports view after keeping")
    assert {r.status for r in site.reports.for_comment(comment.id)} == {"kept"}
    context.close()
