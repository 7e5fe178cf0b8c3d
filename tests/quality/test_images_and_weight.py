"""Light pages: body images with their dimensions and lazy loading after the
first, and an article page within 50 KB of HTML, CSS and JavaScript."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from support import ROOT

BUDGET = "/2014/04/15/budget-2014-les-priorites-du-departement/"
WEIGHT_BUDGET = 50 * 1024


def add_paragraphs(source: Path, markdown: str) -> None:
    source.write_text(source.read_text(encoding="utf-8") + "\n\n" + markdown + "\n",
                      encoding="utf-8")


def test_sample_image_has_dimensions_and_stays_eager(dev_site):
    img = dev_site.soup(BUDGET).select_one(".article__body img")
    assert (img["width"], img["height"]) == ("640", "360")
    assert img.get("loading") is None, "the first image may be the largest paint"


def test_images_after_the_first_load_lazily_and_get_their_size(build_site, content_copy):
    from PIL import Image

    Image.new("RGB", (300, 200), "white").save(content_copy / "images" / "photo.png")
    source = content_copy / "articles" / "2014-04-15-budget-2014-priorites.md"
    add_paragraphs(source, "![Une photo]({static}/images/photo.png)\n\n"
                           '![Le diagramme, encore]({static}/images/budget-2014.svg){width="320" height="180"}')
    site = build_site(content=content_copy)
    images = site.soup(BUDGET).select(".article__body img")
    assert len(images) == 3
    first, photo, again = images
    assert first.get("loading") is None
    assert (photo["width"], photo["height"], photo["loading"], photo["decoding"]) == \
        ("300", "200", "lazy", "async")
    assert photo["alt"] == "Une photo" and photo["src"].startswith("/images/derivees/photo-")
    assert (again["width"], again["height"], again["loading"]) == ("320", "180", "lazy")


def test_an_image_of_unknown_size_stops_the_build(build_site, content_copy):
    from editorial import ContentError

    source = content_copy / "articles" / "2014-04-15-budget-2014-priorites.md"
    (content_copy / "images" / "illisible.png").write_bytes(b"pas une image")
    add_paragraphs(source, "![Illisible]({static}/images/illisible.png)")
    with pytest.raises(ContentError, match=r"illisible\.png.*incomplet ou abîmé"):
        build_site(content=content_copy)


def test_a_missing_image_is_named_as_missing_not_as_unsized(build_site, content_copy):
    from editorial import ContentError

    source = content_copy / "articles" / "2014-04-15-budget-2014-priorites.md"
    add_paragraphs(source, "![Absente]({static}/images/absente.png)")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = [line for line in str(err.value).splitlines() if "absente.png" in line]
    assert len(lines) == 1 and "n'existe pas" in lines[0], lines


def test_svg_size_comes_from_its_viewbox(tmp_path):
    from images import image_size

    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"></svg>')
    (tmp_path / "b.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="40"></svg>')
    assert image_size(tmp_path / "a.svg") == (640, 360)
    assert image_size(tmp_path / "b.svg") == (120, 40)
    assert image_size(ROOT / "content" / "images" / "budget-2014.svg")


def test_article_page_weighs_less_than_50_kb(prod_site):
    """HTML + the CSS and scripts it loads (images excluded), raw and gzip:
    the raw size must fit the budget on its own (no server compression)."""
    soup = prod_site.soup(BUDGET)
    files = [prod_site.path(BUDGET)]
    for tag, attr in (("link", "href"), ("script", "src")):
        for element in soup.find_all(tag):
            ref = element.get(attr)
            if not ref or (tag == "link" and "stylesheet" not in element.get("rel", [])):
                continue
            assert ref.startswith("https://www.valdoise.fr/"), ref  # no third party
            files.append(prod_site.path(ref.removeprefix("https://www.valdoise.fr")))
    raw = sum(f.stat().st_size for f in files)
    zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    assert len(files) >= 3, files
    assert raw < WEIGHT_BUDGET, (raw, files)
    assert zipped < raw / 2
