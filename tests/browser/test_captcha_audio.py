"""The audio captcha in a real browser: the file the form links to is an MP3
that Chromium decodes and plays to the end, light enough for a slow link."""

from __future__ import annotations

import urllib.request

from test_comment_form import open_form


def test_listen_link_plays_in_the_browser(page, live_site):
    open_form(page, live_site)
    href = page.get_attribute("[data-captcha-audio]", "href")
    assert href.endswith(".mp3") and page.get_attribute("[data-captcha-audio]", "type") == "audio/mpeg"
    with urllib.request.urlopen(live_site.url(href)) as response:
        assert response.headers["Content-Type"] == "audio/mpeg"
        assert len(response.read()) <= 60_000  # about 50 KB: seconds, not minutes, on 2G
    # Decode and play it (muted: no sound card) through an <audio> element.
    played = page.evaluate("""async (src) => {
        const audio = new Audio(src);
        audio.muted = true;
        audio.playbackRate = 16;
        await new Promise((ok, ko) => { audio.oncanplaythrough = ok; audio.onerror = () => ko(audio.error.code); });
        const duration = audio.duration;
        await audio.play();
        await new Promise((ok) => { audio.onended = ok; });
        return {duration, ended: audio.ended, error: audio.error};
    }""", href)
    assert played["error"] is None and played["ended"] is True
    assert 15 < played["duration"] < 40  # the intro, the code, "je répète", the code
