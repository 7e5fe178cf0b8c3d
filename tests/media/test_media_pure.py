"""The pure parts of the media plugin: the WebVTT reader, the platform
addresses, durations (Hypothesis for the properties)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media import syntax, webvtt
from sitekit import embeds


@given(st.floats(min_value=0, max_value=360_000, allow_nan=False))
def test_a_timestamp_reads_back_to_the_millisecond(value):
    text = webvtt.format_time(value)
    match = webvtt.TIMING.match(f"{text} --> {text}")
    assert abs(webvtt.seconds(match.groups()[0:4]) - round(value, 3)) < 0.0011


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 5_000)), min_size=1,
                max_size=20))
def test_a_template_is_valid_webvtt_but_for_its_placeholders(spans):
    times, start = [], 0.0
    for gap, length in spans:
        start += gap / 1000
        times.append((start, start + length / 1000))
        start += length / 1000
    text = webvtt.template(times)
    with pytest.raises(webvtt.VttError) as err:
        webvtt.parse(text)
    assert webvtt.PLACEHOLDER in err.value.reason
    cues = webvtt.parse(text.replace(webvtt.PLACEHOLDER, "Bonjour"))
    assert len(cues) == len(times)


@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_a_line(text):
    try:
        cues = webvtt.parse(text)
    except webvtt.VttError as err:
        assert err.line >= 1 and err.reason
    else:
        assert all(c.end > c.start for c in cues)


@pytest.mark.parametrize("text,line,reason", [
    ("", 1, "WEBVTT"),
    ("WEBVTTX\n\n00:01.000 --> 00:02.000\nA\n", 1, "WEBVTT"),
    ("WEBVTT\n\n00:02.000 --> 00:01.000\nA\n", 3, "fin"),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\n00:00.500 --> 00:03.000\nB\n", 6, "ordre"),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\nA\n00:03.000 --> 00:04.000\nB\n", 3, "ligne vide"),
    ("WEBVTT\n\n00:61.000 --> 00:62.000\nA\n", 3, "horaire"),
    ("WEBVTT\n\n1\n00:01.000 --> 00:02.000\n<b></b>\n", 4, "sans texte"),
    ("WEBVTT\n\nNOTE rien\n", 1, "aucun"),
])
def test_invalid_webvtt_names_its_line(text, line, reason):
    with pytest.raises(webvtt.VttError) as err:
        webvtt.parse(text)
    assert err.value.line == line and reason in err.value.reason


def test_voices_and_entities_are_read():
    (cue,) = webvtt.parse("\ufeffWEBVTT - titre\r\n\r\nid\r\n01:00:00.000 --> 01:00:01.000 "
                          "align:start\r\n<v.loud Marie Dupont>Oui &amp; <i>non</i>\r\n")
    assert (cue.start, cue.speaker, cue.plain) == (3600.0, "Marie Dupont", "Oui & non")


@pytest.mark.parametrize("url,host,watch", [
    ("https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=3", "www.youtube-nocookie.com",
     "https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
    ("https://m.youtube.com/shorts/aqz-KE-bpKQ", "www.youtube-nocookie.com", None),
    ("https://youtu.be/aqz-KE-bpKQ?si=x", "www.youtube-nocookie.com", None),
    ("https://vimeo.com/76979871", "player.vimeo.com", "https://vimeo.com/76979871"),
    ("https://dai.ly/x8abcd1", "www.dailymotion.com", "https://www.dailymotion.com/video/x8abcd1"),
    ("https://www.dailymotion.com/video/x8abcd1_titre", "www.dailymotion.com", None),
    ("https://tube-numerique-educatif.apps.education.fr/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
     "tube-numerique-educatif.apps.education.fr", None),
])
def test_watch_addresses_give_the_privacy_friendly_player(url, host, watch):
    found = embeds.parse(url)
    assert found.player_url.startswith(f"https://{host}/")
    if watch:
        assert found.watch_url == watch
    if "vimeo" in host:
        assert "dnt=1" in found.player_url


@pytest.mark.parametrize("url,expected", [
    ("https://www.youtube.com/@valdoise", "YouTube"),
    ("https://www.youtube.com/watch?v=<script>", "YouTube"),
    ("https://vimeo.com/channels/x", "Vimeo"),
    ("https://example.org/w/abcdefgh1234", None),
    ("javascript:alert(1)", None),
    ("https://[::1", None),
])
def test_other_addresses_are_not_players(url, expected):
    assert embeds.parse(url) == expected


def test_the_frame_sources_are_https_player_hosts_only():
    assert embeds.frame_sources(("tube.example.fr",)) == (
        "https://www.youtube-nocookie.com", "https://player.vimeo.com",
        "https://www.dailymotion.com", "https://tube.example.fr")


@pytest.mark.parametrize("text,seconds", [("3:12", 192), ("1:02:03", 3723), ("45 s", 45),
                                          ("1 h 5 min", 3900), ("3 min 12 s", 192),
                                          ("", None), ("longtemps", None), ("3:7", None)])
def test_durations_written_by_editors(text, seconds):
    assert syntax.parse_duration(text) == seconds


@given(st.integers(1, 100_000))
def test_a_duration_reads_back(seconds):
    assert syntax.parse_duration(syntax.duration_fr(seconds).replace("\u00a0", " ")) in (
        seconds, seconds - seconds % 60)
