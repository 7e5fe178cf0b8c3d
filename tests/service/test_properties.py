"""Property-based tests (Hypothesis) of the pure core: the counting rule,
validation, captcha tokens and the request parsers."""

from __future__ import annotations

import io
import json
import unicodedata

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from comment_service.captcha import challenge as captcha
from comment_service.config import Config
from comment_service.web.httpio import HTTPError, Request, parse_form, parse_json
from comment_service.rules.validation import FIELDS, count, normalise_text, validate

SECRET = "property-test-secret"
NOW = 1_800_000_000.0
# Any code point, lone surrogates included (JSON can carry them).
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=10,
)
FIELD_NAMES = st.sampled_from(FIELDS) | ANY_TEXT
# No per-example deadline: the machine is shared, and a slow example is no bug here.
relaxed = settings(deadline=None)


# --- the counting rule ------------------------------------------------------------------

@relaxed
@given(ANY_TEXT)
@example("a\r\nb\rc\n")
@example("e\u0301\r\n")
def test_count_is_nfc_length_after_line_endings(text):
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    assert count(text) == len(unicodedata.normalize("NFC", lf))
    normalised = normalise_text(text)
    assert "\r" not in normalised
    assert normalise_text(normalised) == normalised  # idempotent
    assert count(normalised) == count(text)


@relaxed
@given(st.lists(st.sampled_from(["a", "\r", "\n", "\r\n", "é", "e\u0301"]), max_size=30))
def test_count_of_line_endings(parts):
    text = "".join(parts)
    assert count(text) == len(unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")))


# --- validation ----------------------------------------------------------------------------

@given(st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=10), st.frozensets(st.sampled_from(FIELDS)))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_validate_never_raises_and_returns_strings(raw, invalid):
    submission, errors = validate(raw, max_length=50, name_max=10, invalid=invalid)
    for name in FIELDS:
        assert isinstance(getattr(submission, name), str)
    assert all(isinstance(k, str) and k in FIELDS for k in errors)
    assert all(isinstance(v, str) and v for v in errors.values())
    assert set(invalid) & {"text", "name", "email", "website", "submission_id"} <= set(errors)
    if not errors:
        assert 0 < count(submission.text) <= 50 and 0 < len(submission.name) <= 10
        submission.text.encode("utf-8")  # a stored comment is always encodable
        submission.name.encode("utf-8")


@relaxed
@given(ANY_TEXT, ANY_TEXT)
def test_accepted_text_and_name_round_trip(text, name):
    submission, errors = validate({"text": text, "name": name}, max_length=10**6, name_max=10**6)
    if "text" not in errors:
        assert submission.text == normalise_text(text)
    if "name" not in errors:
        assert submission.name == unicodedata.normalize("NFC", name).strip()


# --- captcha tokens --------------------------------------------------------------------------

def _check(token, answer, now=NOW + 10):
    return captcha.check(token, answer, SECRET, now=now, ttl=600, min_fill_seconds=3)


@relaxed
@given(st.binary(min_size=12, max_size=12), st.integers(min_value=0, max_value=10**6))
def test_token_round_trip(nonce, age_ms):
    challenge = captcha.issue(SECRET, now=NOW, nonce=nonce)
    answer = captcha.answer_for(challenge.token, SECRET)
    assert captcha.parse(challenge.token, SECRET) == challenge
    result = _check(challenge.token, answer.lower(), now=NOW + 3 + age_ms / 1000 * 0.5)
    assert result.ok and result.burnable and result.challenge.nonce == nonce


@relaxed
@given(st.binary(min_size=12, max_size=12), st.integers(min_value=0), st.characters(codec="ascii"))
def test_any_altered_token_is_refused(nonce, position, replacement):
    token = captcha.issue(SECRET, now=NOW, nonce=nonce).token
    position %= len(token)
    assume(token[position] != replacement)
    altered = token[:position] + replacement + token[position + 1:]
    result = _check(altered, captcha.answer_for(token, SECRET))
    assert result.outcome == captcha.INVALID and not result.burnable


@relaxed
@given(st.binary(min_size=12, max_size=12), ANY_TEXT)
def test_check_never_raises_on_any_answer(nonce, answer):
    token = captcha.issue(SECRET, now=NOW, nonce=nonce).token
    result = _check(token, answer)
    assert result.burnable and result.outcome in (captcha.OK, captcha.WRONG)


@relaxed
@given(ANY_TEXT, ANY_TEXT)
def test_check_never_raises_on_any_token(token, answer):
    assert _check(token, answer).outcome in (captcha.MISSING, captcha.INVALID)


# --- request parsers ----------------------------------------------------------------------------

def _no_surrogates(value) -> bool:
    if isinstance(value, str):
        return not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, list):
        return all(_no_surrogates(v) for v in value)
    if isinstance(value, dict):
        return all(_no_surrogates(k) and _no_surrogates(v) for k, v in value.items())
    return True


@relaxed
@given(st.binary(max_size=300))
@example(b'{"\\ud800": 1, "\\ud800": 2}')
@example(b'{"a": "\\udfff"}')
@example(b"a=%ED%A0%80")
def test_parsers_raise_only_http_errors(body):
    for parse in (parse_form, parse_json):
        try:
            parsed = parse(body)
        except HTTPError as exc:
            assert 400 <= exc.status < 500 and exc.message
            json.dumps({"message": exc.message, "errors": exc.errors}, ensure_ascii=False).encode("utf-8")
        else:
            assert isinstance(parsed.fields, dict) and _no_surrogates(parsed.fields)
            assert parsed.invalid <= set(parsed.fields)


@relaxed
@given(st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=6))
def test_json_objects_parse_without_surrogates(obj):
    body = json.dumps(obj).encode("ascii")  # \\uXXXX escapes: lone surrogates travel
    try:
        parsed = parse_json(body)
    except HTTPError as exc:
        assert exc.status == 400
        assume(False)
    assert _no_surrogates(parsed.fields) and set(parsed.fields) == set(obj)
    assert parsed.invalid == {k for k, v in obj.items() if not _no_surrogates(v)}


@relaxed
@given(st.binary(max_size=200), st.text(max_size=20), st.text(max_size=60))
def test_reading_a_body_raises_only_http_errors(body, length, content_type):
    environ = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": length, "CONTENT_TYPE": content_type,
               "wsgi.input": io.BytesIO(body)}
    try:
        Request(environ, Config()).read_fields()
    except HTTPError as exc:
        assert exc.status in (400, 411, 413, 415)
