"""The comment form in a real browser, against the real comment service."""

from __future__ import annotations

import json
import re
import time

import pytest

pytestmark = pytest.mark.timeout(180)

ARTICLE = "/2014/05/20/le-zip-val-doise-cherche-des-projets-a-accompagner/"
OTHER = "/2014/11/18/espaces-naturels-sensibles-5-000-arbres-plantes-cet-hiver/"
HOSTILE_ARTICLE = "/2014/07/08/travaux-dete-sur-la-rd-14-entre-cergy-et-magny-en-vexin/"


def open_form(page, live_site, path=ARTICLE):
    page.goto(live_site.url(path))
    # The captcha is fetched when the reader starts on the form.
    assert page.input_value("#comment-captcha-token") == ""
    page.focus("#comment-name")
    page.wait_for_function(
        "document.querySelector('#comment-captcha-token').value.length > 0")


def solve(page, live_site):
    token = page.input_value("#comment-captcha-token")
    page.fill("#comment-captcha-answer", live_site.answer(token).lower())


def stored(live_site, state="pending"):
    found = []
    for path in sorted((live_site.store / state).glob("*/*.json")):
        found.append(json.loads(path.read_text(encoding="utf-8")))
    return found


def test_counter_updates_and_is_announced_politely(page, live_site):
    open_form(page, live_site)
    count = page.locator("#comment-text-count")
    assert count.is_visible()
    assert count.text_content() == "Nombre de caractères utilisés\u00a0: 0 / 500"
    page.locator("#comment-text").press_sequentially("Bonjour à tous")
    assert count.text_content() == "Nombre de caractères utilisés\u00a0: 14 / 500"
    status = page.locator("#comment-text-status")
    assert status.get_attribute("aria-live") == "polite"
    page.wait_for_function(
        "document.querySelector('#comment-text-status').textContent.includes('14 / 500')")
    # Counted as the server counts: CRLF as one, combining accents composed (NFC).
    page.fill("#comment-text", "e\u0301te\u0301\r\nok \U0001F600")
    assert count.text_content() == "Nombre de caractères utilisés\u00a0: 8 / 500"
    page.fill("#comment-text", "x" * 501)
    assert "dépassé la limite de 1" in count.text_content()
    assert "char-count--over" in count.get_attribute("class")
    assert page.get_attribute("#comment-text", "maxlength") is None, "typing is never blocked"


def test_browser_counter_counts_exactly_as_the_server(page, live_site):
    from comment_service.rules.validation import count

    from support import BLNS

    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    strings += ["a\r\nb\rc", "\u1100\u1161\u11a8", "e\u0301", "\U0001F468\u200D\U0001F469"]
    open_form(page, live_site)
    counted = page.evaluate("(list) => list.map(window.countCommentCharacters)", strings)
    mismatches = [(s, c, count(s)) for s, c in zip(strings, counted) if c != count(s)]
    assert not mismatches, mismatches[:5]


def test_501_characters_cannot_be_sent_and_500_can(page, live_site):
    open_form(page, live_site)
    before = len(stored(live_site))
    page.fill("#comment-name", "Camille")
    page.fill("#comment-text", "é" * 501)
    solve(page, live_site)
    page.click("button[type=submit]:not([name])")
    summary = page.locator("#comment-form-errors")
    summary.wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "comment-form-errors"
    assert "500" in page.text_content("#comment-text-error")
    assert page.input_value("#comment-text") == "é" * 501, "the text is kept"
    assert len(stored(live_site)) == before
    page.fill("#comment-text", "é" * 500)
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-form-status").wait_for(state="visible")
    assert page.text_content("#comment-form-status") == \
        "Merci, votre commentaire a été envoyé\u202f; il sera publié après modération."
    assert any(c["text"] == "é" * 500 for c in stored(live_site))


def test_wrong_captcha_shows_an_inline_error_and_keeps_the_text(page, live_site):
    open_form(page, live_site)
    text = "Un avis réfléchi,\nsur deux lignes."
    page.fill("#comment-name", "Dominique")
    page.fill("#comment-text", text)
    first_image = page.get_attribute("#comment-captcha-image", "src")
    page.fill("#comment-captcha-answer", "ZZZZZ")
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-captcha-answer-error").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "comment-form-errors"
    assert page.locator("#comment-form-errors a[href='#comment-captcha-answer']").count() == 1
    assert page.get_attribute("#comment-captcha-answer", "aria-invalid") == "true"
    assert page.input_value("#comment-text") == text
    assert page.input_value("#comment-name") == "Dominique"
    # The refused challenge is replaced by a new one.
    page.wait_for_function(f"document.querySelector('#comment-captcha-image').src.indexOf({first_image!r}) < 0")


def test_regenerer_changes_the_image_without_reloading(page, live_site):
    open_form(page, live_site)
    page.evaluate("window.__same_page = true")
    first = page.get_attribute("#comment-captcha-image", "src")
    alt = page.get_attribute("#comment-captcha-image", "alt")
    assert alt.startswith("Code de sécurité\u00a0: image de 5 caractères")
    page.get_by_role("button", name="Régénérer le code de sécurité").click()
    page.wait_for_function(
        f"document.querySelector('#comment-captcha-image').src.indexOf({first!r}) < 0")
    assert page.evaluate("window.__same_page") is True
    page.wait_for_function("(() => { const i = document.querySelector('#comment-captcha-image');"
                           " return i.complete && i.naturalWidth > 0; })()")
    audio = page.get_attribute("[data-captcha-audio]", "href")
    assert audio.endswith(".mp3")


def wait_for_rebuild(page, live_site, path, needle, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.goto(live_site.url(path))
        if needle in page.text_content("#commentaires"):
            return
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} not published on {path} after approval")


def test_correct_captcha_then_approval_and_rebuild_publishes_the_comment(page, live_site):
    open_form(page, live_site, OTHER)
    text = f"Bravo pour les plantations ! ({time.time_ns()})"
    page.fill("#comment-name", "Élise")
    page.fill("#comment-email", "elise@example.org")
    page.fill("#comment-text", text)
    solve(page, live_site)
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-form-status").wait_for(state="visible")
    assert page.input_value("#comment-text") == ""
    comment = next(c for c in stored(live_site) if c["text"] == text)
    result = live_site.cli("approve", comment["id"])
    assert result.returncode == 0, result.stderr
    wait_for_rebuild(page, live_site, OTHER, text)
    published = page.locator(f"#commentaire-{comment['id']}")
    assert published.locator(".comment__author").text_content() == "Élise"
    assert "elise@example.org" not in page.content()
    assert re.match(r"Commentaires \(\d+\)", page.text_content("#commentaires-titre"))


def test_hostile_comment_is_plain_text_and_runs_nothing(page, live_site):
    payload = ('<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=2"> '
               '<a href="javascript:window.__pwned=3">lien</a>')
    open_form(page, live_site, HOSTILE_ARTICLE)
    page.fill("#comment-name", '<b onmouseover="window.__pwned=4">Nom</b>')
    page.fill("#comment-text", payload)
    solve(page, live_site)
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-form-status").wait_for(state="visible")
    comment = next(c for c in stored(live_site) if c["text"] == payload)
    assert live_site.cli("approve", comment["id"]).returncode == 0
    wait_for_rebuild(page, live_site, HOSTILE_ARTICLE, "window.__pwned=1")
    item = page.locator(f"#commentaire-{comment['id']}")
    assert item.locator(".comment__text").inner_text().strip() == payload
    # Nothing the visitor sent became an element: the item's only link is the
    # site's own « Signaler ce commentaire », whose name quotes the author as text.
    assert item.locator("script, img, b").count() == 0
    assert item.locator("a").count() == 1
    assert item.locator("a").get_attribute("href").endswith(f"/signaler/{comment['id']}")
    assert item.locator("a bdi").inner_text() == '<b onmouseover="window.__pwned=4">Nom</b>'
    item.hover()
    page.mouse.move(5, 5)
    assert page.evaluate("window.__pwned") is None
    assert page.js_errors == []


def test_without_javascript_a_comment_can_be_posted(nojs_page, live_site):
    page = nojs_page
    page.goto(live_site.url(ARTICLE))
    assert not page.locator("#field-captcha").is_visible()
    assert page.locator("#comment-text-hint").is_visible()
    assert "jusqu'à 500 caractères" in page.text_content("#comment-text-hint")
    text = "Envoyé sans JavaScript,\navec un retour à la ligne."
    page.fill("#comment-name", "Sans JS")
    page.fill("#comment-text", text)
    page.click("button[type=submit]:not([name])")
    # The service's page: the security code, with everything typed kept.
    page.wait_for_selector("input[name=captcha_answer]")
    assert page.input_value("textarea[name=text]") == text
    assert page.input_value("input[name=name]") == "Sans JS"
    # A wrong code brings the form back, text kept.
    page.fill("input[name=captcha_answer]", "ZZZZZ")
    page.click("button[type=submit]:not([name=action])")
    page.wait_for_selector("input[name=captcha_answer]")
    assert page.input_value("textarea[name=text]") == text
    assert "code" in page.text_content("main").lower()
    # "Régénérer" without JavaScript: a new code, nothing lost.
    token = page.input_value("input[name=captcha_token]")
    page.click("button[name=action]")
    page.wait_for_selector("input[name=captcha_answer]")
    assert page.input_value("input[name=captcha_token]") != token
    assert page.input_value("textarea[name=text]") == text
    # The right code: back to the article, with the confirmation shown.
    token = page.input_value("input[name=captcha_token]")
    page.fill("input[name=captcha_answer]", live_site.answer(token))
    page.click("button[type=submit]:not([name=action])")
    page.wait_for_url(re.compile(re.escape(ARTICLE) + "#commentaire-envoye$"))
    assert page.locator("#commentaire-envoye").is_visible()
    assert any(c["text"] == text for c in stored(live_site))


# --- One component: the article's form and the service's page ------------------------

EVENT = "/agenda/reunion-publique-sur-lamenagement-de-la-rd-14/"

FORM_SHAPE = """() => {
    const root = document.querySelector('.comment-form');
    const words = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
    return {
        controls: [...root.querySelectorAll('input, textarea, button')]
            .map(el => [el.tagName, el.id, el.name, el.type].join(' ')),
        words: [...root.querySelectorAll('label, legend, button, .field__hint, .comment-form__title')]
            .map(words),
        ids: [...root.querySelectorAll('[id]')].map(el => el.id)
            .filter(id => id !== 'comment-form-config' && id !== 'comment-captcha-image'),
    };
}"""


def post_without_javascript(page, live_site, path, name="Sans JS", text="Bonjour"):
    page.goto(live_site.url(path))
    page.fill("#comment-name", name)
    page.fill("#comment-text", text)
    page.click("button[type=submit]:not([name])")
    page.wait_for_selector("input[name=captcha_answer]")


def test_the_article_and_the_service_page_show_the_same_form(nojs_page, live_site):
    page = nojs_page
    page.goto(live_site.url(ARTICLE))
    article = page.evaluate(FORM_SHAPE)
    # Without JavaScript the article asks for the code on the service's page.
    assert not page.locator("#field-captcha").is_visible()
    assert not page.get_by_role("button", name="Régénérer le code de sécurité").is_visible()
    assert page.locator("[data-nojs-note]").is_visible()
    post_without_javascript(page, live_site, ARTICLE)
    assert "/commentaires/fils/" in page.url
    service = page.evaluate(FORM_SHAPE)
    assert article["controls"] == service["controls"]
    assert article["words"] == service["words"]
    assert article["ids"] == service["ids"]
    assert "Adresse électronique (facultative, jamais publiée)" in article["words"]
    assert "Régénérer le code de sécurité" in article["words"]
    assert "Code de sécurité" in article["words"]
    assert page.text_content("p.lead").startswith("Article\u00a0: ")
    assert page.get_by_role("link", name=re.compile("^Retour à l'article")).count() == 1


def test_the_service_page_of_an_event_says_event(nojs_page, live_site):
    post_without_javascript(nojs_page, live_site, EVENT)
    assert nojs_page.text_content("p.lead").startswith("Événement\u00a0: ")
    assert nojs_page.get_by_role("link", name=re.compile("^Retour à l'événement")).count() == 1
    assert "l'article" not in nojs_page.text_content("main")


def test_a_refusal_is_said_once(page, live_site):
    open_form(page, live_site)
    page.fill("#comment-name", "Camille")
    page.fill("#comment-text", "Un avis.")
    page.fill("#comment-captcha-answer", "ZZZZZ")
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-captcha-answer-error").wait_for(state="visible")
    summary = page.text_content("#comment-form-errors")
    assert summary.count("n'a pas été envoyé") <= 1
    assert page.locator("#comment-form-errors h4").count() == 1


def test_no_empty_captcha_box_before_the_form_is_used(page, live_site):
    page.goto(live_site.url(ARTICLE))
    page.wait_for_function("document.querySelector('#comment-submission-id').value.length > 0")
    assert page.locator("#comment-captcha-image").count() == 0
    assert page.locator(".captcha__image").count() == 0
    page.focus("#comment-name")
    page.wait_for_function("(() => { const i = document.querySelector('#comment-captcha-image');"
                           " return i && i.complete && i.naturalWidth > 0; })()")


def test_the_submission_id_is_kept_until_a_success(page, live_site):
    open_form(page, live_site)
    first = page.input_value("#comment-submission-id")
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", first)
    assert page.evaluate("document.querySelector('#comment-submission-id').disabled") is False
    page.fill("#comment-name", "Identifiant")
    page.fill("#comment-text", f"Un envoi identifié ({time.time_ns()})")
    page.fill("#comment-captcha-answer", "ZZZZZ")
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-captcha-answer-error").wait_for(state="visible")
    assert page.input_value("#comment-submission-id") == first, "kept after a refusal"
    page.wait_for_function("document.querySelector('#comment-captcha-token').value.length > 0"
                           " && document.querySelector('#comment-captcha-answer').value === ''")
    solve(page, live_site)
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-form-status").wait_for(state="visible")
    assert page.input_value("#comment-submission-id") not in ("", first), "a new one after a success"


def test_a_rate_limit_is_an_alert_and_not_a_text_error(page, nojs_page, strict_site):
    open_form(page, strict_site)
    page.fill("#comment-name", "Pressé")
    page.fill("#comment-text", "Premier commentaire.")
    solve(page, strict_site)
    page.click("button[type=submit]:not([name])")
    page.locator("#comment-form-status").wait_for(state="visible")
    page.wait_for_function("document.querySelector('#comment-captcha-token').value.length > 0")
    page.fill("#comment-text", "Mon texte précieux")
    solve(page, strict_site)
    page.click("button[type=submit]:not([name])")
    summary = page.locator("#comment-form-errors")
    summary.wait_for(state="visible")
    assert summary.get_attribute("role") == "alert"
    assert "Réessayez dans" in page.text_content("#comment-form-errors-title")
    assert page.locator("#comment-form-errors li").count() == 0
    assert page.get_attribute("#comment-text", "aria-invalid") is None
    assert not page.locator("#comment-text-error").is_visible()
    assert page.input_value("#comment-text") == "Mon texte précieux"
    # Without JavaScript: the service's page, with the same alert and no field error.
    post_without_javascript(nojs_page, strict_site, ARTICLE, text="Mon texte précieux")
    token = nojs_page.input_value("input[name=captcha_token]")
    nojs_page.fill("input[name=captcha_answer]", strict_site.answer(token))
    nojs_page.click("button[type=submit]:not([name])")
    nojs_page.wait_for_selector("#comment-form-errors[role=alert]")
    assert "Réessayez dans" in nojs_page.text_content("#comment-form-errors-title")
    assert nojs_page.locator("[aria-invalid=true]").count() == 0
    assert nojs_page.input_value("#comment-text") == "Mon texte précieux"


def test_a_name_cannot_turn_the_date_around(page, live_site):
    from comment_service.store import CommentStore

    thread = ARTICLE.strip("/").split("/")[-1]
    name = f"Bidi\u202eeman ({time.time_ns()})"
    CommentStore(live_site.store).add(thread, name, "", "Texte ordinaire.", status="approved")
    wait_for_rebuild(page, live_site, ARTICLE, "Bidi")
    meta = page.locator(".comment__meta", has_text="Bidi").first
    assert meta.locator("bdi.comment__author").count() == 1
    assert meta.locator("bdi").evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"
    # The date reads left to right: its first character is drawn left of its last.
    first_x, last_x = meta.locator("time").evaluate("""el => {
        const text = el.firstChild, range = document.createRange();
        const box = (i) => { range.setStart(text, i); range.setEnd(text, i + 1);
                             return range.getBoundingClientRect().left; };
        return [box(0), box(text.length - 1)];
    }""")
    assert first_x < last_x
