"""No broken link, image or draft link is ever published: the build stops
at content-processing time with the file, the line and the missing target."""

from __future__ import annotations

import datetime as dt

import pytest

from editorial import ContentError

GOOD = """Title: Un article avec des liens
Date: 2014-03-01
Category: Institution
Summary: Un chapô.

Un premier paragraphe.

{body}
"""
EXISTING = "{filename}/articles/2014-04-15-budget-2014-priorites.md"


def write(content_copy, body, name="liens.md"):
    (content_copy / "articles" / name).write_text(GOOD.format(body=body), encoding="utf-8")


def refused_lines(build_site, content_copy, name="liens.md") -> list[str]:
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = [line for line in str(err.value).splitlines() if line.startswith("- ")]
    assert lines, str(err.value)
    assert all("Unable to find" not in line for line in lines)
    return [line for line in lines if line.startswith(f"- content/articles/{name}, ligne 8 : ")]


@pytest.mark.parametrize("target", [
    "{filename}/articles/2014-04-15-budget-2041-priorites.md",   # typo
    "{filename}/pages/2014-04-15-budget-2014-priorites.md",      # wrong folder
    "{filename}../pages/2014-04-15-budget-2014-priorites.md",    # relative, wrong folder
])
def test_a_link_to_a_missing_file_is_refused(build_site, content_copy, target):
    write(content_copy, f"Voir [le budget]({target}).")
    lines = refused_lines(build_site, content_copy)
    assert any(f"lien « {target} »" in line and "n'existe pas" in line for line in lines), lines


def test_a_close_name_is_suggested(build_site, content_copy):
    write(content_copy, "Voir [le budget]({filename}/articles/2014-04-15-budget-2014-priorite.md).")
    lines = refused_lines(build_site, content_copy)
    assert any("vouliez-vous dire « 2014-04-15-budget-2014-priorites.md »" in line
               for line in lines), lines


def test_a_link_to_a_draft_is_refused(build_site, content_copy):
    draft = content_copy / "articles" / "brouillon.md"
    draft.write_text(GOOD.replace("Title: Un article avec des liens", "Title: Un brouillon")
                     .replace("Summary:", "Status: draft\nSummary:").format(body="…"),
                     encoding="utf-8")
    write(content_copy, "Voir [le brouillon]({filename}/articles/brouillon.md).")
    lines = refused_lines(build_site, content_copy)
    assert any("vers un brouillon" in line and "brouillon.md" in line for line in lines), lines


@pytest.mark.parametrize("src,words", [
    ("{static}/images/absente.svg", "n'existe pas"),
    ("{static}/images/Budget-2014.svg", "s'écrit « budget-2014.svg »"),
    ("{static}/images/budget-2014.SVG", "s'écrit « budget-2014.svg »"),
    ("/images/absente.svg", "n'existe pas"),
    ("absente.svg", "le fichier content/articles/absente.svg n'existe pas"),
])
@pytest.mark.parametrize("size", ['{width="640" height="360"}', ""])
def test_a_missing_image_is_refused_naming_it(build_site, content_copy, src, words, size):
    write(content_copy, f"![Un graphique]({src}){size}")
    lines = refused_lines(build_site, content_copy)
    assert any(f"image « {src} »" in line and words in line for line in lines), lines


def test_good_links_and_images_build(build_site, content_copy):
    write(content_copy, f"Voir [le budget]({EXISTING}) et "
                        "![Un graphique]({static}/images/budget-2014.svg).")
    site = build_site(content=content_copy)
    body = site.soup("/2014/03/01/un-article-avec-des-liens/")
    link = body.select_one("main a[href*='budget-2014']")
    assert link is not None and "{filename}" not in link["href"]
    assert body.select_one("main img[src$='budget-2014.svg']") is not None


def test_a_link_to_a_scheduled_article_is_refused(build_site, content_copy):
    later = content_copy / "articles" / "plus-tard.md"
    # Within the two years a date may be ahead (further: a probable typo, refused).
    day = f"{dt.date.today() + dt.timedelta(days=300):%Y-%m-%d}"
    later.write_text(GOOD.replace("Title: Un article avec des liens", "Title: Plus tard")
                     .replace("2014-03-01", day + " 09:00").format(body="…"),
                     encoding="utf-8")
    write(content_copy, "Voir [la suite]({filename}/articles/plus-tard.md).")
    lines = refused_lines(build_site, content_copy)
    assert any(f"vers un article programmé (daté du {day} 09:00)" in line
               for line in lines), lines


def test_a_broken_link_in_the_summary_is_refused_on_its_line(build_site, content_copy):
    (content_copy / "articles" / "liens.md").write_text(
        GOOD.format(body="…").replace(
            "Summary: Un chapô.", "Summary: Voir [le budget]({filename}/articles/absent.md)."),
        encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    assert "- content/articles/liens.md, ligne 4 : lien « {filename}/articles/absent.md »" \
        in str(err.value)
