"""Properties of the commenters' signed links (pure code, Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from comment_service.commenters import links
from comment_testlib import SECRET

ID = "20261207T161047719857Z-a61ca1df8750"
NOW = 1_800_000_000
addresses = st.emails()
purposes = st.sampled_from(links.PURPOSES)


@settings(max_examples=200, deadline=None)
@given(addresses, purposes, st.integers(1, 10**7))
def test_a_link_holds_for_its_comment_address_and_purpose_until_it_expires(email, purpose, ttl):
    token = links.make(SECRET, purpose, ID, email, NOW + ttl)
    assert links.comment_id(token) == ID and email not in token
    assert links.verify(SECRET, purpose, token, email.upper(), NOW)  # addresses compare casefolded
    assert not links.verify(SECRET, purpose, token, email, NOW + ttl)  # expired
    assert not links.verify(SECRET, purpose, token, "x" + email, NOW)
    other = next(p for p in links.PURPOSES if p != purpose)
    assert not links.verify(SECRET, other, token, email, NOW)
    assert not links.verify(SECRET + "x", purpose, token, email, NOW)


@settings(max_examples=300, deadline=None)
@given(addresses, st.data())
def test_any_altered_character_is_refused(email, data):
    token = links.make(SECRET, links.RIGHTS, ID, email, NOW + 3600)
    i = data.draw(st.integers(0, len(token) - 1))
    replacement = data.draw(st.sampled_from("0123456789abcdefABCDEF-_.Z"))
    altered = token[:i] + replacement + token[i + 1:]
    if altered != token:
        assert not links.verify(SECRET, links.RIGHTS, altered, email, NOW)


@given(st.text(max_size=300))
def test_arbitrary_text_is_never_a_valid_link(text):
    assert not links.verify(SECRET, links.RIGHTS, text, "zoe@example.org", NOW)
