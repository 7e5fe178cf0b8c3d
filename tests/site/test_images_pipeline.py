"""Images from editors: what is refused (French, file, line, fix), and what
readers get (WebP derivatives with srcset, no EXIF, cached, light pages;
figures with caption and credit; galleries). Real Pelican builds of a copy
of content/."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import pytest

from editorial import ContentError

ARTICLE = "/2014/03/01/des-photos/"
HEADER = """Title: Des photos
Date: 2014-03-01
Category: Institution
Summary: Un chapô.

Un premier paragraphe.

{body}
"""


def write(content_copy, body: str) -> None:
    (content_copy / "articles" / "photos.md").write_text(HEADER.format(body=body),
                                                         encoding="utf-8")


def refusal(build_site, content_copy) -> list[str]:
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = [line for line in str(err.value).splitlines() if line.startswith("- ")]
    assert all("Traceback" not in line and "Error" not in line for line in lines), lines
    return lines


def photo(width=4000, height=3000, exif=None, fmt="JPEG", quality=92) -> bytes:
    """A smooth synthetic 'photo' with some grain (compresses like a real one)."""
    from PIL import Image, ImageFilter

    small = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    image = small.resize((width, height), Image.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    grain = Image.effect_noise((width, height), 12).convert("RGB")
    image = Image.blend(image, grain, 0.15)
    out = BytesIO()
    kwargs = {"quality": quality} if fmt in ("JPEG", "WEBP") else {}
    if exif is not None:
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def gps_exif(orientation: int = 1):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (49.0, 3.0, 0.0), 3: "E", 4: (2.0, 4.0, 0.0)}  # GPS IFD
    return exif


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height (Pillow refuses before decoding)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def svg(body: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="100" height="50">{body}</svg>')


@pytest.mark.parametrize("name,data,words", [
    ("photo.heic", b"\0\0\0\x18ftypheic", "convertissez cette photo HEIC en JPEG"),
    ("scan.tiff", b"II*\0", "convertissez ce fichier TIFF en JPEG"),
    ("logo.bmp", b"BM", "convertissez ce fichier BMP en PNG"),
    ("affiche.psd", b"8BPS", "exportez ce fichier Photoshop en JPEG"),
    ("tronquee.jpg", "truncated", "incomplet ou abîmé"),
    ("pas-une-image.png", b"ceci n'est pas une image", "incomplet ou abîmé"),
    ("scan-geant.png", huge_png_header(20000, 10000), "l'image est trop grande"),
    ("police.svg", svg('<style>@import url("https://fonts.example.org/css");</style>'),
     "ce SVG appelle « https://fonts.example.org/css »"),
    ("lien.svg", svg('<image xlink:href="https://cdn.example.org/a.png"/>'),
     "ce SVG appelle « https://cdn.example.org/a.png »"),
    ("fonte.svg", svg('<style>text { src: url(https://fonts.example.org/f.woff2) }</style>'),
     "ce SVG appelle"),
])
def test_a_bad_image_file_is_refused_with_its_fix(build_site, content_copy, name, data, words):
    if data == "truncated":
        data = photo(800, 600)[:6000]
    target = content_copy / "images" / name
    if isinstance(data, str):
        target.write_text(data, encoding="utf-8")
    else:
        target.write_bytes(data)
    write(content_copy, f"![Une image]({{static}}/images/{name})")
    lines = refusal(build_site, content_copy)
    mine = [line for line in lines if line.startswith(
        f"- content/articles/photos.md, ligne 8 : image « {{static}}/images/{name} » : ")]
    assert len(mine) == 1 and words in mine[0], lines
    assert "width" not in mine[0], "never « ajoutez {width height} » for a broken file"


@pytest.mark.parametrize("markdown,needle,words", [
    ("![Une photo](https://www.example.org/photo.jpg)", "https://www.example.org/photo.jpg",
     "téléchargez-la dans content/images/"),
    ("![](//cdn.example.org/photo.jpg)", "//cdn.example.org/photo.jpg", "texte de remplacement"),
    ("![]({static}/images/budget-2014.svg)", "{static}/images/budget-2014.svg",
     "texte de remplacement (alternative) manquant"),
    # Raw HTML: the HTML policy's message, once (plugins/htmlpolicy), with the fix for HTML.
    ('<img src="{static}/images/budget-2014.svg">', "{static}/images/budget-2014.svg",
     'sans texte alternatif : ajoutez alt="'),
    ('![Un graphique]({static}/images/budget-2014.svg){width="50%"}',
     "{static}/images/budget-2014.svg", "largeur « 50% » incomprise"),
])
def test_a_bad_image_reference_is_refused_with_its_fix(build_site, content_copy, markdown,
                                                        needle, words):
    write(content_copy, markdown)
    lines = refusal(build_site, content_copy)
    assert any(line.startswith(f"- content/articles/photos.md, ligne 8 : image « {needle} »")
               and words in line for line in lines), lines


def test_a_phone_photo_gives_light_webp_derivatives_without_gps(build_site, content_copy):
    from PIL import Image

    original = photo(4000, 3000, exif=gps_exif(orientation=6), quality=97)
    assert len(original) > 3_000_000
    (content_copy / "images" / "telephone.jpg").write_bytes(original)
    write(content_copy, "![Une photo prise au téléphone]({static}/images/telephone.jpg)")
    site = build_site(content=content_copy)
    img = site.soup(ARTICLE).select_one(".article__body img")
    # Orientation 6: the 4000 × 3000 sensor image is a portrait.
    assert (img["width"], img["height"]) == ("800", "1067")
    assert img["src"].startswith("/images/derivees/telephone-") and img["src"].endswith("-800.jpg")
    assert img.get("loading") is None, "the first image of the page stays eager"
    candidates = [part.split() for part in img["srcset"].split(",")]
    assert [width for _, width in candidates] == ["480w", "800w", "1200w"]
    for url, width in candidates:
        with Image.open(site.path(url)) as derived:
            assert derived.format == "WEBP" and derived.width == int(width[:-1])
            assert derived.height > derived.width
            assert len(derived.getexif()) == 0 and "exif" not in derived.info
    default = site.path(candidates[1][0]).stat().st_size
    assert default <= 150_000, f"{default} bytes at the default width"
    for published in (site.path(img["src"]), site.output / "images" / "telephone.jpg"):
        with Image.open(published) as image:
            assert len(image.getexif()) == 0, f"{published} keeps EXIF (GPS)"
            assert image.height > image.width


def test_a_rebuild_reuses_the_derivatives(build_site, content_copy, tmp_path):
    (content_copy / "images" / "photo.jpg").write_bytes(photo(1600, 1200))
    write(content_copy, "![Une photo]({static}/images/photo.jpg)")
    cache = tmp_path / "images-cache"
    first = build_site(content=content_copy, IMAGES_CACHE_PATH=str(cache))
    # This photo and the sample photo of the colloquium article.
    assert first.settings["_IMAGES_STATS"]["made"] == 2
    made = {p: p.stat().st_mtime_ns for p in cache.rglob("*.webp")}
    assert len([p for p in made if p.name.startswith("photo-")]) == 3
    second = build_site(content=content_copy, IMAGES_CACHE_PATH=str(cache))
    assert second.settings["_IMAGES_STATS"]["made"] == 0
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.webp")} == made
    assert (second.output / first.soup(ARTICLE).select_one(".article__body img")["src"]
            .lstrip("/")).is_file()


def test_a_small_image_is_never_upscaled(build_site, content_copy):
    (content_copy / "images" / "vignette.png").write_bytes(photo(300, 200, fmt="PNG"))
    write(content_copy, "![Une vignette]({static}/images/vignette.png)")
    img = build_site(content=content_copy).soup(ARTICLE).select_one(".article__body img")
    assert (img["width"], img["height"]) == ("300", "200")
    assert img["srcset"].endswith("-300.webp 300w") and img["src"].endswith("-300.png")


def test_a_heavy_page_is_refused_with_its_weight(build_site, content_copy):
    for n in range(3):
        (content_copy / "images" / f"p{n}.jpg").write_bytes(photo(1600, 1200))
    write(content_copy, "\n\n".join(f"![Photo {n}]({{static}}/images/p{n}.jpg)" for n in range(3)))
    build_site(content=content_copy)  # about 3 × 60 KB: within the default limit
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy, IMAGES_PAGE_LIMIT_KB=20)
    assert any(line.startswith("- content/articles/photos.md : les images de cette page pèsent ")
               and "(au plus 20 ko)" in line for line in str(err.value).splitlines()), str(err.value)


def test_figure_with_caption_and_credit(build_site, content_copy):
    (content_copy / "images" / "salle.jpg").write_bytes(photo(1200, 800))
    write(content_copy, "![La salle des séances pleine]({static}/images/salle.jpg)\n"
                        "Légende : La table ronde du matin.\n"
                        "Crédit : Jeanne Martin")
    soup = build_site(content=content_copy).soup(ARTICLE)
    figure = soup.select_one(".article__body figure.photo")
    assert figure.img["alt"] == "La salle des séances pleine" and figure.img["srcset"]
    caption = figure.figcaption
    assert caption.get_text(" ", strip=True).startswith("La table ronde du matin.")
    assert caption.select_one(".photo__credit").get_text() == "©\u00a0Jeanne Martin"
    assert "Légende" not in soup.select_one(".article__body").get_text()


def test_a_gallery_is_a_list_of_linked_figures(build_site, content_copy):
    for name in ("a", "b", "c"):
        (content_copy / "images" / f"{name}.jpg").write_bytes(photo(1600, 1000))
    write(content_copy, "Avant la galerie.\n\n"
                        "- ![Le parc au printemps]({static}/images/a.jpg)\n"
                        "  Légende : Au printemps.\n  Crédit : Paul Durand\n"
                        "- ![Le parc en été]({static}/images/b.jpg)\n"
                        "- ![Le parc en hiver]({static}/images/c.jpg)\n"
                        "  Crédit : Département du Val-d'Oise\n")
    site = build_site(content=content_copy)
    items = site.soup(ARTICLE).select(".article__body ul.galerie > li > figure.photo")
    assert len(items) == 3
    for figure in items:
        link = figure.select_one("a.photo__agrandir")
        assert link["href"].endswith("-1200.webp") and site.path(link["href"]).is_file()
        assert link.img["alt"] and "grand format" in link.get_text()
        assert link.img["sizes"] == "(min-width: 44rem) 14rem, 100vw"
    assert items[0].figcaption.get_text(" ", strip=True) == "Au printemps. ©\u00a0Paul Durand"
    assert items[1].figcaption is None
    assert [f.img.get("loading") for f in items] == [None, "lazy", "lazy"]


def test_decorative_image_gets_an_empty_alt(build_site, content_copy):
    write(content_copy, "![image décorative]({static}/images/budget-2014.svg)")
    img = build_site(content=content_copy).soup(ARTICLE).select_one(".article__body img")
    assert img["alt"] == ""


def test_a_space_in_a_name_and_a_width_in_px_give_valid_markup(build_site, content_copy):
    (content_copy / "images" / "mon graphique.svg").write_text(svg(""), encoding="utf-8")
    (content_copy / "images" / "ma photo.jpg").write_bytes(photo(1200, 800))
    write(content_copy, '![Un graphique](<{static}/images/mon graphique.svg>){width="400px"}\n\n'
                        '![Une photo]({static}/images/ma photo.jpg){width="400px"}')
    site = build_site(content=content_copy)
    drawing, picture = site.soup(ARTICLE).select(".article__body img")
    assert drawing["src"] == "/images/mon%20graphique.svg"
    assert (drawing["width"], drawing["height"]) == ("400", "200")
    assert site.path("/images/mon graphique.svg").is_file()
    assert (picture["width"], picture["height"]) == ("400", "267")
    assert " " not in picture["src"] and picture["sizes"] == "(min-width: 400px) 400px, 100vw"


@pytest.mark.parametrize("name", ["Thumbs.db", ".DS_Store", "desktop.ini"])
def test_system_files_are_never_published(build_site, content_copy, name):
    (content_copy / "images" / name).write_bytes(b"\0\1system")
    (content_copy / "documents" / name).write_bytes(b"\0\1system")
    site = build_site(content=content_copy)
    assert not list(site.output.rglob(name))


def test_an_image_outside_the_content_folder_is_never_derived(build_site, content_copy):
    (content_copy.parent / "secret.jpg").write_bytes(photo(600, 400))
    write(content_copy, "![Une photo]({static}/../secret.jpg)")
    lines = refusal(build_site, content_copy)
    assert any("ligne 8 : image « {static}/../secret.jpg »" in line for line in lines), lines
    assert not list(content_copy.parent.rglob("secret-*.webp"))


def test_a_heic_share_image_is_refused_on_its_field_line(build_site, content_copy):
    (content_copy / "images" / "partage.heic").write_bytes(b"\0\0\0\x18ftypheic")
    (content_copy / "articles" / "photos.md").write_text(
        HEADER.format(body="Texte.").replace("Summary:", "Image: images/partage.heic\n"
                                             "Image_alt: Une photo\nSummary:"), encoding="utf-8")
    lines = refusal(build_site, content_copy)
    assert any(line.startswith("- content/articles/photos.md, ligne 4 : champ « image » : "
                               "fichier « images/partage.heic » : ") and "HEIC en JPEG" in line
               for line in lines), lines


def test_a_cache_that_cannot_be_written_is_a_french_refusal(build_site, content_copy, tmp_path):
    (content_copy / "images" / "photo.jpg").write_bytes(photo(900, 600))
    write(content_copy, "![Une photo]({static}/images/photo.jpg)")
    blocked = tmp_path / "pas-un-dossier"
    blocked.write_text("un fichier à la place du dossier du cache")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy, IMAGES_CACHE_PATH=str(blocked / "images"))
    assert any("ligne 8 : image « {static}/images/photo.jpg » : ses versions légères n'ont pas "
               "pu être fabriquées" in line for line in str(err.value).splitlines()), str(err.value)
