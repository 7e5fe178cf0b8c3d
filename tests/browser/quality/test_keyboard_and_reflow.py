"""The comment form with the keyboard alone, visible focus, reflow at 320 px
and at 200 % zoom, reduced motion, contrast of focus rings and form borders."""

from __future__ import annotations

import re

import pytest

from livelib import COMMENTED

pytestmark = pytest.mark.timeout(180)

# The main button comes before "Régénérer" (both submit the form without
# JavaScript): Enter in a field sends the comment.
FORM_ORDER = [
    "comment-name", "comment-email", "comment-notify", "comment-text", "comment-captcha-audio",
    "comment-captcha-answer", "mailto", "Envoyer le commentaire", "Régénérer",
]

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const form = el.closest('.comment-form');
    return {
        id: el.id, tag: el.tagName, text: el.textContent.trim(),
        href: el.getAttribute('href') || '',
        outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor, boxShadow: style.boxShadow,
        background: form ? getComputedStyle(form).backgroundColor : getComputedStyle(document.body).backgroundColor,
    };
}"""


def rgb(value: str) -> tuple[float, float, float]:
    r, g, b = (float(x) for x in re.findall(r"[\d.]+", value)[:3])
    return r, g, b


def luminance(color) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def label(focus: dict) -> str:
    if focus["href"].startswith("mailto:"):
        return "mailto"
    if focus["id"]:
        return focus["id"]
    return focus["text"].split("\u00a0")[0].split(" le code")[0]


def open_form(page, live_site):
    page.goto(live_site.url(COMMENTED))
    page.focus("#comment-name")  # the captcha is fetched when the form is used
    page.wait_for_function("document.querySelector('#comment-captcha-token').value.length > 0")


@pytest.mark.autocheck("keyboard")
def test_comment_form_in_keyboard_order_with_visible_focus(page, commented_site):
    open_form(page, commented_site)
    page.focus('.comment-form__notice a[href$="/donnees-personnelles/"]')
    seen = []
    for _ in FORM_ORDER:
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED)
        seen.append(label(focus))
        assert focus["id"] != "comment-website", "the honeypot never takes the focus"
        # Visible focus: a 3 px outline, and at least one ring (outline or the
        # dark shadow around it) contrasting 3:1 with the background.
        assert focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2, focus
        background = rgb(focus["background"])
        rings = [contrast(rgb(focus["outlineColor"]), background)]
        if focus["boxShadow"] != "none":
            rings.append(contrast(rgb(focus["boxShadow"]), background))
        assert max(rings) >= 3, (focus, rings)
    assert seen == FORM_ORDER, seen


@pytest.mark.autocheck("keyboard")
def test_comment_can_be_sent_with_the_keyboard_alone(page, commented_site):
    open_form(page, commented_site)
    page.focus("#comment-name")
    page.keyboard.type("Clavier Seul")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # no e-mail: optional
    page.keyboard.press("Tab")  # « Me prévenir par courriel »: left unchecked
    page.keyboard.type("Envoyé sans souris.")
    page.keyboard.press("Tab")  # Écouter le code
    page.keyboard.press("Tab")  # the code
    page.keyboard.type("ZZZZZ")
    page.keyboard.press("Tab")  # the contact address
    page.keyboard.press("Tab")  # submit
    page.keyboard.press("Tab")  # Régénérer: Enter draws a new code and focuses the answer
    token = page.input_value("#comment-captcha-token")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelector('#comment-captcha-token').value !== {token!r}")
    assert page.evaluate("document.activeElement.id") == "comment-captcha-answer"
    assert page.input_value("#comment-captcha-answer") == ""
    page.keyboard.type(commented_site.answer(page.input_value("#comment-captcha-token")))
    page.keyboard.press("Enter")  # Enter in a field sends the comment (the main button)
    page.locator("#comment-form-status").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "comment-form-status"


@pytest.mark.autocheck("keyboard")
def test_skip_link_is_first_and_visible_on_focus(page, commented_site):
    page.goto(commented_site.url(COMMENTED))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_form_borders_contrast_with_their_background(page, commented_site):
    open_form(page, commented_site)
    for selector in ("#comment-name", "#comment-email", "#comment-text", "#comment-captcha-answer"):
        border, background = page.evaluate(
            """(sel) => { const el = document.querySelector(sel);
                return [getComputedStyle(el).borderTopColor,
                        getComputedStyle(el.closest('.comment-form, .captcha')).backgroundColor]; }""",
            selector)
        assert contrast(rgb(border), rgb(background)) >= 3, selector


REFLOW_PAGES = ["/", COMMENTED, "/agenda/", "/agenda/reunion-publique-sur-lamenagement-de-la-rd-14/",
                "/archives/", "/recherche/?q=Maubuisson", "/accessibilite/"]


@pytest.mark.autocheck("reflow")
@pytest.mark.parametrize("width,scale", [(320, 1), (640, 2)], ids=["320px", "zoom-200"])
def test_pages_reflow_without_horizontal_scrolling(browser, commented_site, width, scale):
    """320 CSS px (WCAG 1.4.10), and a 1280 px window at 200 % zoom, i.e.
    640 CSS px drawn at device scale 2 (WCAG 1.4.4)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800},
                                  device_scale_factor=scale)
    page = context.new_page()
    try:
        for path in REFLOW_PAGES:
            page.goto(commented_site.url(path))
            if path == COMMENTED:
                # No image before the reader starts on the form.
                page.wait_for_function("(() => { const i = document.querySelector("
                                       "'#comment-captcha-image'); return !i || i.complete; })()")
            if "recherche" in path:
                page.locator("#search-results li").first.wait_for()
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (path, scroll)
    finally:
        context.close()


def test_reduced_motion_stops_every_transition_and_animation(browser, commented_site):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    try:
        for path in ("/", COMMENTED, "/recherche/?q=Maubuisson"):
            page.goto(commented_site.url(path))
            moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(el => {
                const s = getComputedStyle(el);
                const seconds = (v) => Math.max(...v.split(',').map(parseFloat));
                return seconds(s.transitionDuration) > 0 || (s.animationName !== 'none'
                       && seconds(s.animationDuration) > 0) || s.scrollBehavior === 'smooth';
            }).map(el => el.tagName + '.' + el.className)""")
            assert moving == [], (path, moving)
    finally:
        context.close()
