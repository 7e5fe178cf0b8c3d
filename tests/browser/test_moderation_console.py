"""The moderation console in Chromium, against the development launcher (built
site + comment service, rebuilding on approval): a moderator logs in, approves,
rejects with a reason, replies and sees the page update; the same without
JavaScript; axe-core finds nothing on any console state."""

from __future__ import annotations


import pytest

from comment_service.store import CommentStore
from browserlib import running_site
from quality.qualitylib import assert_no_violations, axe_js, run_axe  # noqa: F401 (fixture)

pytestmark = pytest.mark.timeout(300)

THREAD = "budget-2014-les-priorites-du-departement"
ARTICLE = "/2014/04/15/budget-2014-les-priorites-du-departement/"
CONSOLE = "/commentaires/moderation"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(tmp_path_factory.mktemp("moderation")) as live:
        for name in ("alice", "bruno"):
            live.add_moderator(name, PASSWORD)
        live.comments = CommentStore(live.store)
        yield live


def published(site, needle: str, present: bool = True) -> None:
    """Wait until the article's page shows (or no longer shows) ``needle``."""
    site.wait_for_text(ARTICLE, needle, present)


def login(page, site, name="alice", password=PASSWORD):
    page.goto(site.url(CONSOLE + "/"))
    page.fill("#identifiant", name)
    page.fill("#mot_de_passe", password)
    page.click("button[type=submit]")


def test_moderator_approves_rejects_replies_and_sees_the_page(page, site):
    good = site.comments.add(THREAD, "Lucie Navigateur", "", "Un avis publiable depuis la console.")
    spam = site.comments.add(THREAD, "Promo", "", "ACHETEZ www.exemple.com")
    login(page, site)
    assert page.locator("h1").inner_text() == "Commentaires en attente"
    item = page.locator(f"#c-{good.id}")
    item.get_by_role("button", name="Publier").click()
    assert "1 commentaire(s) publié(s)." in page.locator("[role=status]").inner_text()
    assert "quelques secondes" in page.locator("[role=status]").inner_text()
    published(site, "Un avis publiable depuis la console.")
    spam_item = page.locator(f"#c-{spam.id}")
    spam_item.get_by_label("Motif du refus").select_option("publicite")
    spam_item.get_by_role("button", name="Refuser").click()
    assert "1 commentaire(s) refusé(s)." in page.locator("[role=status]").inner_text()
    assert site.comments.get(spam.id).reason == "publicite"
    page.get_by_role("link", name="Publiés").click()
    page.locator(f"#c-{good.id}").get_by_role("link", name="Répondre").click()
    page.fill("#service", "Direction des finances")
    page.fill("#texte", "Merci, le détail est en ligne.")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    assert "Réponse enregistrée." in page.locator("[role=status]").inner_text()
    published(site, "Merci, le détail est en ligne.")
    page.goto(site.url(ARTICLE))
    reply = page.locator(f"#commentaire-{good.id} .comment-reply")
    assert "Réponse du Département" in reply.inner_text() and "Direction des finances" in reply.inner_text()
    assert page.js_errors == []


def test_without_javascript(nojs_page, site):
    comment = site.comments.add(THREAD, "Sans Script", "", "Publié sans JavaScript.")
    login(nojs_page, site, "bruno")
    nojs_page.locator(f"#c-{comment.id}").get_by_label("Sélectionner ce commentaire").check()
    nojs_page.get_by_role("button", name="Publier la sélection").click()
    assert "1 commentaire(s) publié(s)." in nojs_page.locator("[role=status]").inner_text()
    published(site, "Publié sans JavaScript.")
    nojs_page.get_by_role("link", name="Publiés").click()
    nojs_page.locator(f"#c-{comment.id}").get_by_role("button", name="Dépublier").click()
    assert site.comments.get(comment.id).status == "pending"
    published(site, "Publié sans JavaScript.", present=False)
    nojs_page.get_by_role("button", name="Se déconnecter").click()
    assert "Vous êtes déconnecté." in nojs_page.content()


def test_every_console_state_has_no_axe_violation(browser, site, axe_js):  # noqa: F811
    """The console's CSP forbids every script: bypassed here for axe only."""
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()

    def check(name):
        assert_no_violations(run_axe(page, axe_js), name)

    page.goto(site.url(CONSOLE + "/connexion"))
    check("login")
    login(page, site, "alice", "wrong password!!")
    check("login error")
    login(page, site)
    for i in range(2):
        site.comments.add(THREAD, f"Axe {i}", "axe@example.org", "Un texte\nsur deux lignes www.exemple.com")
    page.goto(site.url(CONSOLE + "/"))
    check("queue")
    first = page.locator(".console-item").first
    first.get_by_role("button", name="Supprimer").click()
    check("delete confirmation")
    page.get_by_role("link", name="Annuler").click()
    page.locator(".console-item").first.get_by_role("button", name="Publier").click()
    check("queue after an action (status message)")
    page.goto(site.url(CONSOLE + "/?q=introuvable"))
    check("no match")
    page.goto(site.url(CONSOLE + "/publies"))
    check("published")
    page.locator(".console-item").first.get_by_role("link", name="Répondre").click()
    check("reply form")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    check("reply errors")
    page.goto(site.url(CONSOLE + "/refuses"))
    check("rejected")
    page.goto(site.url(CONSOLE + "/double-authentification"))
    check("second factor, off")
    page.fill("#mot_de_passe", PASSWORD)
    page.get_by_role("button", name="Activer la double authentification").click()
    check("second factor, enrolment")
    page.fill("#code", "000000")
    page.get_by_role("button", name="Confirmer").click()
    check("second factor, wrong code")
    from publisher import journal, waiting

    root = site.store.parent / "output"  # the launcher's SITE_ROOT
    journal.record(root, "refused", "push", commit="a" * 40, author="Claire Martin",
                   subject="Date à la française", files=["content/articles/a.md"],
                   report="1 erreur dans le contenu ; rien n'a été publié :\n- content/articles/"
                          "a.md, ligne 2 : champ « date » : date « 12/07/2014 » illisible")
    waiting.write(root, {"built": "2026-11-26T12:00:00+01:00",
                         "scheduled": [{"title": "Vœux", "path": "content/articles/v.md",
                                        "when": "2027-01-02T09:00:00+01:00"}],
                         "drafts": [{"title": "Brouillon", "path": "content/pages/b.md"}],
                         "expiring": []})
    page.goto(site.url(CONSOLE + "/publications"))
    assert page.locator("h1").inner_text() == "Publications du site"
    check("publications")
    context.close()


@pytest.mark.parametrize("path", ["/", "/publies", "/double-authentification", "/publications"])
def test_usable_on_a_phone_without_horizontal_scrolling(browser, site, path):
    """320 CSS pixels (WCAG 1.4.10 reflow), keyboard focus visible on the first button."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 320, "height": 640})
    page = context.new_page()
    site.comments.add(THREAD, "Téléphone", "un.nom.tres.long@exemple-de-domaine.fr",
                      "Un texte avec une adresse https://www.exemple.fr/un/chemin/tres/long/sans/espace")
    login(page, site)
    page.goto(site.url(CONSOLE + path))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.locator("main button").first.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    context.close()
