"""Properties of the reports' pure code: the form never raises and never lets
a bad value through; a report file's parser refuses with ValueError only."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from comment_service import defaults
from comment_service.rules import reasons
from comment_service.reports.form import read
from comment_service.reports.records import Report

FIELD_NAMES = st.sampled_from(["motif", "precisions", "captcha_token", "captcha_answer", "action", "autre"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(FIELD_NAMES, st.one_of(st.text(max_size=1500), st.sampled_from(list(reasons.REASONS)))))
def test_the_form_never_raises_and_keeps_only_good_values(fields):
    form = read(fields)
    if not form.errors:
        assert reasons.is_reason(form.reason)
        assert len(form.message) <= defaults.REPORT_MESSAGE_MAX
        assert not any(c in form.message for c in "\x00\r\u2028")
    assert set(form.errors) <= {"motif", "precisions"}


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_the_parser_refuses_with_value_error_only(data):
    try:
        Report.from_json(data)
    except ValueError:
        pass


def test_an_impossible_date_is_a_damaged_file():
    import json
    good = {"id": "20261207T184819550548Z-2f32f89545bb", "comment_id": "20261207T184819550548Z-2f32f89545bc",
            "thread": "fil", "reason": "forme", "message": "", "created_at": "2026-12-07T10:00:00Z",
            "status": "open"}
    assert Report.from_json(json.dumps(good).encode()).reason == "forme"
    for key, value in (("created_at", "2026-13-45T10:00:00Z"), ("status", "ouvert"), ("thread", "../x"),
                       ("closed_at", 3), ("message", 7)):
        try:
            Report.from_json(json.dumps(dict(good, **{key: value})).encode())
        except ValueError:
            continue
        raise AssertionError(key)
