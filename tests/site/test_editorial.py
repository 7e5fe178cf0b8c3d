"""Editors' mistakes stop the build with a message naming the file and field."""

from __future__ import annotations

import shutil

import pytest
from jinja2 import UndefinedError

from support import ROOT
from editorial import ContentError

GOOD = """Title: Un article correct
Date: 2014-03-01
Category: Institution
Summary: Un chapô.

Du texte.
"""


def write(content_copy, name, text):
    path = content_copy / "articles" / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name,text,field,words", [
    ("sans-titre.md", GOOD.replace("Title: Un article correct\n", ""), "title", "obligatoire"),
    ("date-francaise.md", GOOD.replace("2014-03-01", "01/03/2014"), "date", "AAAA-MM-JJ"),
    ("date-impossible.md", GOOD.replace("2014-03-01", "2014-02-30"), "date", "n'existe pas"),
    ("sans-date.md", GOOD.replace("Date: 2014-03-01\n", ""), "date", "obligatoire"),
    ("categorie.md", GOOD.replace("Institution", "Sports"), "category", "Sports"),
    ("faute.md", GOOD.replace("Category:", "Categroy:"), "categroy", "inconnu"),
    ("statut.md", GOOD + "", "status", "publie"),
    ("slug.md", GOOD.replace("Title:", "Slug: Mon_Slug\nTitle:"), "slug", "Mon_Slug"),
])
def test_broken_front_matter_fails_the_build_naming_file_and_field(
        build_site, content_copy, name, text, field, words):
    if field == "status":
        text = text.replace("Title:", "Status: publie\nTitle:")
    write(content_copy, name, text)
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    message = str(err.value)
    assert f"articles/{name}" in message
    assert f"« {field} »" in message
    assert words in message
    reported = [line for line in message.splitlines() if line.startswith("- ")]
    assert reported and all(line.startswith(f"- content/articles/{name}") for line in reported), \
        "only the broken file is reported"


def test_colliding_slugs_fail_the_build_naming_both_files(build_site, content_copy):
    write(content_copy, "a.md", GOOD)
    write(content_copy, "b.md", GOOD.replace("2014-03-01", "2014-03-02"))
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    message = str(err.value)
    assert "articles/a.md" in message and "articles/b.md" in message
    assert "un-article-correct" in message


def test_every_problem_of_a_file_is_listed_at_once(build_site, content_copy):
    write(content_copy, "multi.md", GOOD.replace("2014-03-01", "hier").replace(
        "Institution", "Sports").replace("Title: Un article correct\n", ""))
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    message = str(err.value)
    for field in ("date", "category", "title"):
        assert f"« {field} »" in message


def test_a_correct_new_article_builds(build_site, content_copy):
    write(content_copy, "correct.md", GOOD)
    site = build_site(content=content_copy)
    assert site.soup("/2014/03/01/un-article-correct/").h1.get_text() == "Un article correct"


def test_an_undefined_template_variable_fails_the_build(build_site, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    page = theme / "templates" / "page.html"
    page.write_text(page.read_text().replace("{{ page.title }}</h1>", "{{ msgDefautDepot }}</h1>"))
    with pytest.raises(UndefinedError, match="msgDefautDepot"):
        build_site(THEME=str(theme))


def test_new_rules_apply_to_files_in_the_content_cache(build_site, content_copy, tmp_path):
    """The checks run in the reader, which Pelican's cache skips for unchanged
    files: a change of the rules must still reach every file."""
    write(content_copy, "cache.md", GOOD)
    cache = dict(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(tmp_path / "c"))
    build_site(content=content_copy, **cache)
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy, EDITORIAL_CATEGORIES=["Solidarités"], **cache)
    assert "articles/cache.md" in str(err.value) and "« Institution »" in str(err.value)


@pytest.mark.parametrize("name", ["vieux.rst", "page.html", "photo.jpg"])
def test_files_other_than_markdown_in_content_folders_fail_the_build(
        build_site, content_copy, name):
    (content_copy / "articles" / name).write_text("Title: x\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    assert f"articles/{name}" in str(err.value) and "Markdown" in str(err.value)
