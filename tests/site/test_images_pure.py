"""Properties of the pure helpers of plugins/images and plugins/documents."""

from __future__ import annotations

import re

from hypothesis import given, strategies as st

from documents.inspect import size_fr
from documents.links import annotate
from images.checks import SVG_REMOTE, format_problem
from images.figures import caption_lines, figures

IMG = '<img alt="Une photo" src="/images/derivees/a-800.jpg" width="800" height="600">'
LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>\n"),
               max_size=40)


@given(st.integers(min_value=0, max_value=10**13))
def test_a_size_is_always_written_the_french_way(count):
    assert re.fullmatch(r"\d{1,3}(?:\u202f\d{3})*(?:,\d)?\u00a0(?:ko|Mo)", size_fr(count))


@given(LINE, LINE)
def test_caption_and_credit_lines_are_read_back(caption, credit):
    caption, credit = caption.strip(), credit.strip()
    lines = [f"Légende : {caption}" if caption else "", f"Crédit : {credit}" if credit else ""]
    found = caption_lines("\n" + "\n".join(lines))
    assert found == (caption, credit.removeprefix("©").strip())


@given(st.lists(LINE, max_size=4))
def test_figures_keep_every_image_and_never_crash(lines):
    markup = "<p>" + IMG + "".join("\n" + line for line in lines) + "</p>"
    out = figures(markup, lambda img: None)
    assert out.count("<img ") == 1


@given(st.text(max_size=200))
def test_document_annotation_never_crashes_on_any_text(text):
    markup, problems = annotate(text, lambda href: None)
    assert markup == text and problems == []


@given(st.sampled_from([".heic", ".tif", ".bmp", ".psd", ".xcf", ""]))
def test_every_other_format_gets_a_conversion_to_make(suffix):
    from pathlib import Path

    message = format_problem(Path("photo" + suffix))
    assert "convertissez" in message or "exportez" in message


def test_local_references_inside_an_svg_are_allowed():
    assert not SVG_REMOTE.search('<use href="#a"/><rect fill="url(#grad)"/>'
                                 '<image href="data:image/png;base64,AAAA"/>')
