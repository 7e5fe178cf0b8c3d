"""The strict header reader, without Pelican (fast, exact)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editorial.fields import bounded_slug, canonical_category
from editorial.frontmatter import NotUtf8, decode, parse_header

KNOWN = {"title", "date", "category", "summary", "tags", "status"}


def test_a_good_header_gives_fields_with_lines_and_a_body_with_the_same_lines():
    header = parse_header("Title: Un titre\nDate: 2014-06-12\n\nLe texte.\n", KNOWN)
    assert {n: (f.value, f.line) for n, f in header.fields.items()} == {
        "title": ("Un titre", 1), "date": ("2014-06-12", 2)}
    assert header.problems == []
    assert header.body.splitlines()[3] == "Le texte."


def test_the_yaml_style_is_refused_but_its_fields_are_read():
    header = parse_header("---\nTitle: A\n---\nTexte.\n", KNOWN)
    assert header.fields["title"].line == 2
    assert [(n, f) for n, f, _ in header.problems] == [(1, None)]
    assert "retirez les lignes « --- »" in header.problems[0][2]
    assert header.body.strip() == "Texte."


@pytest.mark.parametrize("line", ["Status : draft", "Status\u00a0: draft", "Status\u202f: draft",
                                  "Status\t: draft"])
def test_any_space_before_the_colon_is_a_problem_but_the_field_is_read(line):
    header = parse_header(f"Title: A\n{line}\n\nTexte.\n", KNOWN)
    assert header.fields["status"].value == "draft"
    assert [(n, f) for n, f, _ in header.problems] == [(2, "status")]


def test_a_body_paragraph_after_the_header_is_never_read_as_fields():
    header = parse_header("Title: A\n\nNote: ceci est du texte\n", KNOWN)
    assert set(header.fields) == {"title"} and header.problems == []


def test_a_header_cut_by_a_blank_line_is_reported_and_read_whole():
    header = parse_header("Title: A\n\n\nDate: 2014-06-12\n\nTexte.\n", KNOWN)
    assert header.fields["date"].line == 4
    assert [n for n, _, _ in header.problems] == [2]
    assert header.body.strip() == "Texte."


def test_values_are_nfc_and_categories_match_after_space_normalisation():
    header = parse_header("Title: E\u0301te\u0301\n\n", KNOWN)
    assert header.fields["title"].value == "Été"
    allowed = ["Routes et mobilités", "Solidarités"]
    assert canonical_category("Routes\u00a0et  mobilite\u0301s", allowed) == "Routes et mobilités"
    assert canonical_category("Sports", allowed) == "Sports"


@pytest.mark.parametrize("raw,line,column", [
    ("Title: Été\n".encode("cp1252"), 1, 8),
    ("Title: A\nSummary: Un chapô.\n".encode("cp1252"), 2, 17),
    (b"\xff\xfeT\x00", 1, 1),
])
def test_a_file_not_in_utf8_names_line_and_column(raw, line, column):
    with pytest.raises(NotUtf8) as err:
        decode(raw)
    assert (err.value.line, err.value.column) == (line, column)
    assert f"ligne {line}, colonne {column}" in str(err.value)


def test_a_byte_order_mark_is_dropped():
    assert decode("\ufeffTitle: A".encode()) == "Title: A"


@given(st.lists(st.sampled_from(["budget", "routes", "a", "colleges-2014", "x1"]), min_size=1,
                max_size=60))
def test_bounded_slugs_are_short_whole_words(words):
    slug = "-".join(words)
    bounded = bounded_slug(slug)
    assert len(bounded) <= 80 and bounded and not bounded.endswith("-")
    assert slug == bounded or slug.startswith(bounded + "-")
