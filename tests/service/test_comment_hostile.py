"""Hostile requests at WSGI level: lone surrogates, trailing newlines in paths,
invisible names and texts. Each was a 500 or an acceptance before its fix."""

from __future__ import annotations

import json

import pytest

from comment_service.rules import messages as msg
from comment_service.captcha.challenge import answer_for

from comment_testlib import PREFIX, THREAD, stored_files, tmp_leftovers


def raw_json(data: dict, **replace: str) -> bytes:
    """JSON text of ``data`` where each value "@key@" becomes the raw JSON text given."""
    text = json.dumps(data)
    for key, value in replace.items():
        text = text.replace(f'"@{key}@"', value)
    return text.encode("ascii")


def nothing_stored(client) -> None:
    assert stored_files(client.config.store) == [] and tmp_leftovers(client.config.store) == []


def test_lone_surrogate_answer_is_wrong_and_spends_the_captcha(client):
    data = client.fields()
    good = data["captcha_answer"]
    resp = client.post_json(raw=raw_json(dict(data, captcha_answer="@a@"), a='"\\ud800"'))
    assert resp.status == 400, resp.body
    assert resp.json["errors"] == {"captcha_answer": msg.CAPTCHA_WRONG}
    # The token was spent by that post: the right answer now comes too late.
    resp = client.post_json(data=dict(data, captcha_answer=good))
    assert resp.status == 400 and resp.json["errors"]["captcha_answer"] == msg.CAPTCHA_USED
    nothing_stored(client)


@pytest.mark.parametrize("field,error", [
    ("text", msg.TEXT_CONTROL), ("name", msg.NAME_CONTROL), ("email", msg.EMAIL_INVALID),
    ("website", msg.HONEYPOT), ("submission_id", msg.SUBMISSION_ID_INVALID),
])
@pytest.mark.parametrize("surrogate", ['"\\ud800"', '"a\\udfffb"', '"\\ud83d"', '"x\\udc00\\ud800"'])
def test_lone_surrogate_in_a_field_is_that_fields_error(client, field, error, surrogate):
    data = client.fields()
    resp = client.post_json(raw=raw_json(dict(data, **{field: "@v@"}), v=surrogate))
    assert resp.status == 400, resp.body
    assert resp.json["errors"] == {field: error}
    nothing_stored(client)


@pytest.mark.parametrize("value", ['"\\ud800"', '["\\ud800"]', '{"a": "\\udc00"}'])
def test_lone_surrogate_elsewhere_never_crashes(client, value):
    for field in ("captcha_token", "action", "unknown"):
        data = client.fields()
        resp = client.post_json(raw=raw_json(dict(data, **{field: "@v@"}), v=value))
        if field == "captcha_token":
            assert resp.status == 400 and "captcha_answer" in resp.json["errors"]
        elif field == "action":
            assert resp.status in (202, 400)  # a JSON post has no regenerate button
        else:
            assert resp.status == 202, resp.body  # unknown fields are ignored
    assert all("\ufffd" not in p.read_text(encoding="utf-8") for p in stored_files(client.config.store))


@pytest.mark.parametrize("raw", [
    '{"\\ud800": 1, "\\ud800": 2}',  # a duplicated key that cannot be shown back
    '{"\\ud800": "x"}',
    '{"text": {"\\udfff": "x"}}',
])
def test_lone_surrogate_in_a_key_is_400(client, raw):
    resp = client.post_json(raw=raw.encode("ascii"))
    assert resp.status == 400 and resp.json == {"message": msg.BAD_KEY}
    nothing_stored(client)


def test_lone_surrogate_everywhere_as_a_form_page(client):
    """Forms cannot carry surrogates (strict UTF-8), but a JSON post asking for HTML must not crash."""
    data = client.fields()
    resp = client.post_json(raw=raw_json(dict(data, name="@v@", text="@v@"), v='"\\ud800"'),
                            headers={"Accept": "text/html"})
    assert resp.status == 400
    resp = client.post_form(raw=b"name=%ED%A0%80&text=a")  # a surrogate in UTF-8 form encoding
    assert resp.status == 400 and msg.BAD_ENCODING.replace("'", "&#39;") in resp.text
    nothing_stored(client)


@pytest.mark.parametrize("suffix", ["\n", "%0a", "\r", " "])
def test_trailing_characters_after_a_route_are_404(client, suffix):
    token, _ = client.captcha()
    path = f"{PREFIX}/captcha/{token}.png"
    assert client.request("GET", path).status == 200
    assert client.request("GET", path + suffix).status == 404
    data = client.fields()
    assert client.post_json(thread=THREAD + suffix, data=data).status == 404
    nothing_stored(client)


FILLERS = ["\u3164", "\u2800", "\uffa0", "\u115f", "\u1160", "\u034f", "\u3164\u2800 \uffa0\u115f\u034f",
           "\ufe0f", "\u17b4\u17b5", "\u180b", "\u3164\n\u3164"]


@pytest.mark.parametrize("filler", FILLERS)
def test_invisible_fillers_are_blank(client, filler):
    resp = client.post_json(data=client.fields(text=filler, name=filler.replace("\n", "")))
    assert resp.status == 400
    assert resp.json["errors"] == {"text": msg.TEXT_MISSING, "name": msg.NAME_MISSING}
    nothing_stored(client)


def test_visible_text_with_a_filler_is_accepted(client):
    assert client.post_json(data=client.fields(text="\u3164 Bonjour", name="Zoé\u034f")).status == 202


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                  "\u2069", "\u200e", "\u200f", "\u061c"])
def test_direction_characters_in_names_are_refused(client, char):
    resp = client.post_json(data=client.fields(name=f"Marie{char} Dupont"))
    assert resp.status == 400 and resp.json["errors"] == {"name": msg.NAME_CONTROL}
    # Allowed in the text, where the page isolates each comment.
    assert client.post_json(data=client.fields(text=f"Texte {char}rtl")).status == 202


def test_answer_for_refuses_a_token_with_a_newline(config):
    from comment_service.captcha.challenge import InvalidToken, issue

    token = issue(config.secret).token
    assert answer_for(token, config.secret)
    with pytest.raises(InvalidToken):
        answer_for(token + "\n", config.secret)
