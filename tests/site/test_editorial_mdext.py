"""The editors' Markdown rules (plugins/editorial/mdext.py), as pure line
rewrites and through Python-Markdown with the project's settings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from editorial.mdext import lists_after_paragraphs, nested_lists, word_bullets
from editorial.reader import EditorialMarkdownReader, body_markdown


def render(text: str) -> str:
    import os

    from pelican.settings import read_settings

    from support import ROOT

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"))
    finally:
        os.chdir(cwd)
    EditorialMarkdownReader(settings)  # Pelican's reader lists the configured extensions
    return body_markdown(settings).convert(text)


def test_code_is_never_rewritten():
    html = render("Texte :\n\n```\n• puce\n<!-- commentaire -->\nPhrase\n- tiret\n```\n")
    assert "• puce" in html and "&lt;!-- commentaire --&gt;" in html and "<li>" not in html


def test_an_ordered_list_interrupts_a_paragraph_only_from_1():
    assert lists_after_paragraphs(["En 2014", "2015. Une année"]) == ["En 2014", "2015. Une année"]
    assert lists_after_paragraphs(["Étapes :", "1. venir"]) == ["Étapes :", "", "1. venir"]


def test_a_lazy_line_keeps_the_list_open():
    lines = ["- a", "suite de a", "  - sous-point", "- b"]
    assert nested_lists(lines) == ["- a", "suite de a", "    - sous-point", "- b"]


def test_four_space_sub_lists_are_unchanged():
    lines = ["- a", "    - b", "        - c", "- d"]
    assert nested_lists(lines) == lines


def test_three_levels_of_two_spaces():
    html = render("- a\n  - b\n    - c\n- d\n")
    assert html.count("<ul>") == 3


PLAIN = st.lists(st.text(alphabet="abcdéèà ,.;:!?'’«»0123456789", max_size=40), max_size=12)


@given(PLAIN)
def test_text_without_lists_is_never_changed(lines):
    lines = [line for line in lines if not line.lstrip()[:1].isdigit()]
    assert lists_after_paragraphs(word_bullets(lines)) == lines
    assert nested_lists(lines) == lines
