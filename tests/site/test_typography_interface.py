"""French typography of the interface (contract R7): a narrow no-break space
(U+202F) before ; ! ? and a no-break space (U+00A0) before : and inside « ».
Checked in the sources (the catalogue, the templates) and in a built site."""

from __future__ import annotations

import re

import pytest

from comment_service.rules import messages
from support import ROOT

# An ordinary space (or none, for guillemets) where French needs an unbreakable one.
WRONG = re.compile(r"(?<=\S)[ \t\n]+[:;!?»]|«[ \t\n]|«(?=\w)|(?<=\w)»")

TEMPLATES = sorted([
    *(ROOT / "theme" / "templates").rglob("*.html"),
    *(ROOT / "comment_service" / "templates").glob("*.html"),
    ROOT / "comment_service" / "form" / "template.html",
])
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
RAW = re.compile(r"<(script|style)\b.*?</\1>", re.S)


def strings_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_of(item)


def test_the_catalogue_follows_french_typography():
    found = {name: text for name in dir(messages) if name.isupper()
             for text in strings_of(getattr(messages, name)) if WRONG.search(text)}
    assert found == {}
    assert messages.ERROR_PREFIX == "Erreur\u00a0: "
    assert "\u202f;" in messages.SUCCESS_PENDING


def template_texts(path):
    """The text of a template a reader sees: markup text and attribute values
    outside Jinja code, and the string literals inside it."""
    source = JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))
    for code in JINJA_CODE.findall(source):
        for double, single in STRING.findall(code):
            yield re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), double or single)
    yield RAW.sub("", JINJA_CODE.sub("X", source)).replace("&nbsp;", "\u00a0").replace(
        "&#8239;", "\u202f")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_follow_french_typography(path):
    wrong = [m.group(0) + " dans « " + text[max(0, m.start() - 30):m.end() + 10] + " »"
             for text in template_texts(path) for m in WRONG.finditer(text)]
    assert wrong == []


def visible_texts(soup):
    for tag in soup(["script", "style", "pre", "code", "template"]):
        tag.decompose()
    for tag in soup.select(".comment"):  # visitors' words are shown as they typed them
        tag.decompose()
    yield soup.get_text(" ")
    for tag in soup.find_all(True):
        # (not alt: editors write it, and attributes of their text are never changed)
        for attribute in ("title", "aria-label", "placeholder"):
            if tag.get(attribute):
                yield tag[attribute]
        if tag.name == "meta" and tag.get("content"):
            yield tag["content"]


def test_the_built_site_follows_french_typography(dev_site):
    from bs4 import BeautifulSoup

    problems = []
    for page in sorted(dev_site.output.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for text in visible_texts(soup):
            for m in WRONG.finditer(text):
                where = page.relative_to(dev_site.output)
                problems.append(f"{where}: {text[max(0, m.start() - 30):m.end() + 10]!r}")
    assert problems == []
