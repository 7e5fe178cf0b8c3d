"""The seed colloquium article's media in Chromium, served by the development
launcher under the site's real Content-Security-Policy: the self-hosted
video plays with its French captions, its transcript is on the page, the
YouTube card asks nothing of any other host until its button is pressed by
keyboard and then only the nocookie player's host; without JavaScript the
card is a link; axe-core and the Nu HTML Checker find nothing."""

from __future__ import annotations

import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from quality.qualitylib import assert_no_violations, describe_vnu, run_axe, run_vnu

pytestmark = pytest.mark.timeout(240)

ARTICLE = "/2014/06/12/inventer-les-services-publics-de-demain/"
LISTEN = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""
PLAYER_STUB = "<!doctype html><title>lecteur</title><p>lecteur de test</p>"


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll with page.evaluate (the policy refuses wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


def stub(route):
    """The site itself, or a local stand-in for another host's player."""
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.fulfill(status=200, content_type="text/html", body=PLAYER_STUB)


@pytest.fixture
def strict_page(browser):
    """A page under the real policy, every request recorded; the network is
    closed: any other host is answered by a local stub (so that a request is
    seen, whatever the host) and noted."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.requests = []
    page.console = []
    page.js_errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: page.console.append(message.text))
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))

    context.route("**/*", stub)
    page.add_init_script(LISTEN)
    yield page
    context.close()


def other_hosts(page) -> set[str]:
    return {urlsplit(u).hostname for u in page.requests
            if urlsplit(u).hostname != "127.0.0.1" and not u.startswith(("data:", "blob:"))}


def test_the_video_plays_with_french_captions_and_a_transcript(strict_page, live_site):
    page = strict_page
    page.goto(live_site.url(ARTICLE))
    video = page.locator("figure.media--video video")
    assert video.get_attribute("autoplay") is None and video.get_attribute("muted") is None
    assert page.evaluate("document.querySelector('video').paused")
    # The test presses play (muted, as a headless browser has no sound card).
    page.evaluate("(() => { const v = document.querySelector('video'); v.muted = true; "
                  "v.play(); })()")
    wait_until(page, "document.querySelector('video').currentTime > 1.2")
    wait_until(page, "document.querySelector('video').textTracks[0].activeCues !== null && "
                     "document.querySelector('video').textTracks[0].activeCues.length > 0")
    track = page.evaluate("(() => { const t = document.querySelector('video').textTracks[0];"
                          " return [t.language, t.kind, t.mode, t.activeCues[0].text]; })()")
    assert track[:3] == ["fr", "captions", "showing"]
    assert "Bienvenue au colloque" in track[3]
    transcript = page.locator("figure.media--video details.media__transcript")
    transcript.locator("summary").focus()
    page.keyboard.press("Enter")  # RGAA 4.11: the disclosure opens by keyboard
    assert transcript.get_attribute("open") is not None
    assert "Ses sous-titres et sa transcription sont écrits en français." in \
        transcript.inner_text()
    assert page.evaluate("window.__csp") == [] and page.js_errors == []


def test_the_card_loads_nothing_elsewhere_until_its_button_is_pressed(strict_page, live_site):
    page = strict_page
    page.goto(live_site.url(ARTICLE), wait_until="networkidle")
    page.mouse.move(500, 500)
    button = page.get_by_role("button", name="Lancer la vidéo")
    button.scroll_into_view_if_needed()
    button.hover()  # no preconnect on hover either
    time.sleep(0.5)
    assert other_hosts(page) == set(), page.requests
    assert page.locator("iframe").count() == 0
    button.focus()
    page.keyboard.press("Enter")
    frame = page.locator("figure.media--embed iframe")
    frame.wait_for()
    assert urlsplit(frame.get_attribute("src")).hostname == "www.youtube-nocookie.com"
    assert frame.get_attribute("title").endswith("(YouTube)")
    wait_until(page, "document.activeElement && document.activeElement.tagName === 'IFRAME'")
    deadline = time.monotonic() + 10
    while not other_hosts(page) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert other_hosts(page) == {"www.youtube-nocookie.com"}, page.requests
    assert page.evaluate("window.__csp") == [], page.console
    assert not [m for m in page.console if "Content Security Policy" in m]
    assert page.js_errors == []


def test_without_javascript_the_card_is_a_link(nojs_page, live_site):
    nojs_page.goto(live_site.url(ARTICLE))
    card = nojs_page.locator("figure.media--embed")
    assert not card.locator("button").is_visible()
    link = card.get_by_role("link", name="Voir la vidéo sur YouTube")
    assert link.is_visible()
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


def test_the_media_page_has_no_axe_violation(page, live_site, axe_js):
    page.context.route("**/*", stub)
    page.goto(live_site.url(ARTICLE))
    page.locator(".media__play").wait_for(state="visible")
    assert_no_violations(run_axe(page, axe_js), "media article")
    page.locator(".media__play").click()
    page.locator("figure.media--embed iframe").wait_for()
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_no_violations(run_axe(page, axe_js), "media article, card launched")


def test_the_media_page_is_valid_html(live_site, vnu, tmp_path):
    with urllib.request.urlopen(live_site.url(ARTICLE), timeout=20) as answer:
        (tmp_path / "media.html").write_text(answer.read().decode("utf-8"), encoding="utf-8")
    errors = run_vnu(vnu, tmp_path)
    assert errors == [], describe_vnu(errors, tmp_path)
