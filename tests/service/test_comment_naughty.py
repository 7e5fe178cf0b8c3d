"""The Big List of Naughty Strings in every field a visitor fills and in paths:
a clear 400 or an exact round trip (after the documented normalisation),
never a crash, never markup that runs."""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser

import pytest

from comment_service.rules.validation import normalise_text

from comment_testlib import PREFIX, THREAD, stored_files


@pytest.fixture
def fast_client(make_client):
    return make_client()


def _stored_by_id(store, comment_id):
    files = [p for p in stored_files(store) if p.stem == comment_id]
    assert len(files) == 1
    return json.loads(files[0].read_text(encoding="utf-8"))


def test_naughty_strings_as_text(fast_client, blns):
    client, store = fast_client, fast_client.config.store
    accepted = refused = 0
    for s in blns:
        before = len(stored_files(store))
        resp = client.post_json(data=client.fields(text=s))
        if resp.status == 202:
            accepted += 1
            stored = _stored_by_id(store, resp.json["id"])
            assert stored["text"] == normalise_text(s), repr(s)
        else:
            refused += 1
            assert resp.status == 400, (repr(s), resp.body)
            assert set(resp.json["errors"]) == {"text"}, (repr(s), resp.json)
            assert len(stored_files(store)) == before
    assert accepted > 400 and refused >= 1  # empty and control-character strings are refused


def test_naughty_strings_as_name(fast_client, blns):
    client, store = fast_client, fast_client.config.store
    for s in blns:
        resp = client.post_json(data=client.fields(name=s))
        if resp.status == 202:
            stored = _stored_by_id(store, resp.json["id"])
            assert stored["name"] == unicodedata.normalize("NFC", s).strip(), repr(s)
        else:
            assert resp.status == 400 and set(resp.json["errors"]) == {"name"}, (repr(s), resp.body)


def test_naughty_strings_as_email(fast_client, blns):
    client = fast_client
    for s in blns:
        resp = client.post_json(data=client.fields(email=s))
        assert resp.status in (202, 400), repr(s)
        if resp.status == 400:
            assert set(resp.json["errors"]) == {"email"}


def test_naughty_strings_in_paths(fast_client, blns):
    for s in blns:
        # PATH_INFO as a server gives it: the UTF-8 bytes, decoded as latin-1.
        segment = s.encode("utf-8").decode("latin-1")
        for path in (f"{PREFIX}/fils/{segment}", f"{PREFIX}/captcha/{segment}.png", f"/{segment}"):
            if not path.startswith("/"):
                continue
            resp = fast_client.request("GET", path)
            assert resp.status == 404, (repr(s), resp.status)
        resp = fast_client.post_json(thread=segment, data={"text": s})
        assert resp.status == 404, repr(s)
    assert stored_files(fast_client.config.store) == []


class PageParser(HTMLParser):
    """Collects the tags, attributes and the textarea's text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.textarea: list[str] | None = None
        self.textarea_text = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "textarea":
            self.textarea = []

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.textarea_text = "".join(self.textarea)
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.append(data)


TEMPLATE_TAGS = {"html", "head", "meta", "title", "link", "body", "a", "header", "p", "main", "h1", "h2", "div",
                 "ul", "li", "form", "label", "input", "span", "textarea", "fieldset", "legend", "img", "button"}


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def skeleton_of(page: PageParser) -> list[str]:
    """Tags of the page, leaving out the error messages (their number varies)."""
    return [t for t, a in page.tags if t not in ("p", "li", "a", "span", "ul", "h2")
            and not any(c.startswith("error") for c in (a.get("class") or "").split())]


def test_form_failure_page_escapes_naughty_strings(fast_client, blns):
    """Everything sent comes back escaped: the page has only the template's own
    tags and attributes, and the typed values come back exactly."""
    client = fast_client
    benign = parse(client.post_form(data={"name": "a", "text": "b"}).text)
    benign_skeleton = skeleton_of(benign)
    for s in blns:
        data = {"name": s, "email": s, "text": s, "website": "", "captcha_token": s, "captcha_answer": s}
        resp = client.post_form(data=data)
        assert resp.status == 400, repr(s)
        page = parse(resp.text)
        for tag, attrs in page.tags:
            assert tag in TEMPLATE_TAGS, (repr(s), tag)
            assert not any(name.startswith("on") for name in attrs), (repr(s), attrs)
        # Same skeleton as for a harmless submission, apart from error messages.
        assert skeleton_of(page) == benign_skeleton, repr(s)
        # Exact round trip of what was typed (after the documented normalisation).
        assert page.textarea_text == "\n" + normalise_text(s) or page.textarea_text == normalise_text(s), repr(s)
        name_input = next(a for t, a in page.tags if t == "input" and a.get("name") == "name")
        assert name_input["value"] == unicodedata.normalize("NFC", s).strip(), repr(s)
        scripts = [t for t, _ in page.tags if t == "script"]
        assert scripts == []
