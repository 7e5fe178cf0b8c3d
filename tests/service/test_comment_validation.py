"""Validation of a submission and the counting rule (pure functions)."""

from __future__ import annotations

import pytest

from comment_service.rules import messages as msg
from comment_service.rules.validation import count, normalise_text, validate


def fields(**kw):
    data = {"name": "Marie", "email": "", "text": "Bonjour", "captcha_token": "t", "captcha_answer": "a",
            "website": ""}
    data.update(kw)
    return data


def errors_of(**kw):
    return validate(fields(**kw))[1]


def test_counting_rule_examples():
    assert count("a\r\nb") == 3  # CRLF is one character
    assert count("a\rb") == 3  # lone CR too
    assert count("e\u0301") == 1  # NFC composes é
    assert count("😀") == 1  # one code point (JS: [...s].length)
    assert count("👩\u200d💻") == 3  # a ZWJ sequence is three code points
    assert normalise_text("x\r\n\ry") == "x\n\ny"


@pytest.mark.parametrize("text", [
    "a" * 500,
    "ab\r\n" * 166 + "ab",  # 500 after CRLF -> LF, 666 bytes before
    "e\u0301" * 500,  # 1000 code points sent, 500 after NFC
    "😀" * 500,
    "é" * 500,
])
def test_500_characters_are_accepted(text):
    sub, errors = validate(fields(text=text))
    assert errors == {}
    assert len(sub.text) == 500


@pytest.mark.parametrize("text", ["a" * 501, "ab\r\n" * 167, "e\u0301" * 501, "\u0301" * 501])
def test_501_characters_are_refused(text):
    errors = errors_of(text=text)
    assert errors["text"] == msg.TEXT_TOO_LONG.format(max=500, count=count(text))


def test_text_kept_exactly_after_normalisation():
    text = "  Première ligne\r\n\tseconde  \n"
    sub, errors = validate(fields(text=text))
    assert errors == {} and sub.text == "  Première ligne\n\tseconde  \n"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\u200b\u00a0\u3000", "\r\n"])
def test_blank_text_is_refused(text):
    assert errors_of(text=text)["text"] == msg.TEXT_MISSING


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ud800"])
def test_control_characters_are_refused_in_text(char):
    assert errors_of(text=f"avant{char}après")["text"] == msg.TEXT_CONTROL


@pytest.mark.parametrize("name,error", [
    ("", msg.NAME_MISSING), ("   ", msg.NAME_MISSING), ("a\nb", msg.NAME_CONTROL), ("a\tb", msg.NAME_CONTROL),
    ("a\u2028b", msg.NAME_CONTROL), ("x" * 81, msg.NAME_TOO_LONG.format(max=80, count=81)),
])
def test_name_rules(name, error):
    assert errors_of(name=name)["name"] == error


def test_name_is_trimmed_and_nfc():
    sub, errors = validate(fields(name="  Zoe\u0301  "))
    assert errors == {} and sub.name == "Zoé"
    assert validate(fields(name="x" * 80))[1] == {}


@pytest.mark.parametrize("email", ["marie@example.fr", "Marie.Dupont+tag@Example.FR", "élise@exemple.fr"])
def test_valid_emails(email):
    sub, errors = validate(fields(email=email))
    assert errors == {} and "@" in sub.email


@pytest.mark.parametrize("email", ["marie", "marie@", "@example.fr", "a b@example.fr", "marie@@example.fr",
                                   "x" * 250 + "@example.fr", "marie@exa\nmple.fr", "<script>@x.fr"])
def test_invalid_emails(email):
    assert errors_of(email=email)["email"] == msg.EMAIL_INVALID


def test_email_is_optional():
    assert validate(fields(email=""))[1] == {}
    data = fields()
    del data["email"]
    assert validate(data)[1] == {}


def test_honeypot_must_be_empty():
    assert errors_of(website="http://spam.example")["website"] == msg.HONEYPOT


@pytest.mark.parametrize("value", [None, 42, ["a"], {"a": 1}, True])
def test_non_string_values_are_refused(value):
    assert errors_of(text=value)["text"] == msg.NOT_TEXT
    assert errors_of(name=value)["name"] == msg.NOT_TEXT


def test_missing_fields():
    sub, errors = validate({})
    assert errors == {"text": msg.TEXT_MISSING, "name": msg.NAME_MISSING}
    assert sub.text == "" and sub.captcha_token == ""
