"""The theme's spacing and its single definitions (issue 9, section 8)."""

from __future__ import annotations

import re

import pytest

from support import ROOT

pytestmark = pytest.mark.timeout(120)

MAIN_CSS = ROOT / "theme" / "static" / "css" / "main.css"
COMPONENT_CSS = ROOT / "comment_service" / "form" / "comment-form.css"


def rules(path, selector: str) -> list[str]:
    """The rules whose selector list is exactly `selector`."""
    css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return [body for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
            if sel.strip() == selector]


def test_each_rule_is_written_once_where_it_belongs():
    assert len(rules(MAIN_CSS, ".button")) == 1
    assert rules(MAIN_CSS, ".comment-sent:target") == []
    assert len(rules(COMPONENT_CSS, ".comment-sent:target")) == 1


def test_titles_and_cards_do_not_touch_the_header_and_footer(page, live_site):
    for path in ("/2014/05/20/le-zip-val-doise-cherche-des-projets-a-accompagner/", "/agenda/"):
        page.goto(live_site.url(path))
        padding = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('main'));
            return [parseFloat(s.paddingTop), parseFloat(s.paddingBottom)]; }""")
        assert padding[0] >= 16 and padding[1] >= 32, (path, padding)
        header = page.locator(".site-header").bounding_box()
        title = page.locator("main h1").bounding_box()
        assert title["y"] - (header["y"] + header["height"]) >= 16, path
    last_card = page.locator(".event-card").last.bounding_box()
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] - (last_card["y"] + last_card["height"]) >= 32
