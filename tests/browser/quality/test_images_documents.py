"""vnu and axe at 0 on a page with every new kind of image and document
markup: a responsive photo with caption and credit, a gallery, a decorative
image, lazy images, document links with format, size and language."""

from __future__ import annotations

import functools
import http.server
import threading
import zipfile

import pytest

from documents.makepdf import make_pdf
from quality.qualitylib import assert_no_violations, describe_vnu, run_axe, run_vnu

pytestmark = pytest.mark.timeout(300)

URL = "/2014/03/01/photos-et-documents/"
ARTICLE = """Title: Photos et documents
Date: 2014-03-01
Category: Institution
Summary: Une page avec toutes les formes d'images et de documents.

Un premier paragraphe.

![Une salle de réunion dessinée]({static}/images/salle.jpg)
Légende : La salle avant la réunion.
Crédit : Jeanne Martin

Une galerie :

- ![Le parc au printemps]({static}/images/a.jpg)
  Légende : Au printemps.
  Crédit : Paul Durand
- ![Le parc en été]({static}/images/b.png)
- ![Le parc en hiver]({static}/images/c.webp)

![image décorative]({static}/images/budget-2014.svg)

![Un carré bleu]({static}/images/mon graphique.svg){width="300px"}

![Une photo au nom espacé]({static}/images/ma photo.jpg){width="400px"}

Documents :

- [Le programme]({static}/documents/programme.pdf)
- [The annual report]({static}/documents/report.odt)
- [Un scan ancien]({static}/documents/scan.pdf) ([version accessible]({filename}/articles/2014-04-15-budget-2014-priorites.md))
"""


def picture(path, fmt, size=(1400, 900)):
    from PIL import Image

    Image.effect_noise(size, 40).convert("RGB").save(path, fmt)


@pytest.fixture
def media_site(build_site, content_copy):
    images, docs = content_copy / "images", content_copy / "documents"
    picture(images / "salle.jpg", "JPEG")
    picture(images / "a.jpg", "JPEG")
    picture(images / "b.png", "PNG", (900, 600))
    picture(images / "c.webp", "WEBP")
    picture(images / "ma photo.jpg", "JPEG")
    (images / "mon graphique.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
        '<rect width="100" height="50" fill="#236"/></svg>', encoding="utf-8")
    make_pdf(docs / "programme.pdf", "Le programme", ["Le programme", "Un texte."])
    make_pdf(docs / "scan.pdf", "", ["Un scan"], lang=None, tagged=False)
    with zipfile.ZipFile(docs / "report.odt", "w") as archive:
        archive.writestr("meta.xml", "<m><dc:language>en</dc:language></m>")
    (content_copy / "articles" / "photos-et-documents.md").write_text(ARTICLE, encoding="utf-8")
    return build_site(content=content_copy, IMAGES_PAGE_LIMIT_KB=5000)


def test_the_page_has_every_kind_of_markup(media_site):
    body = media_site.soup(URL).select_one(".article__body")
    assert body.select("figure.photo figcaption .photo__credit")
    assert len(body.select("ul.galerie > li > figure.photo > a > img")) == 3
    assert body.select('img[alt=""]') and body.select('img[loading="lazy"]')
    assert body.select('a[hreflang="en"]')
    assert body.select('img[src$="mon%20graphique.svg"][width="300"]')


def test_vnu_finds_no_error(media_site, vnu):
    page = media_site.path(URL)
    errors = run_vnu(vnu, page)
    assert errors == [], describe_vnu(errors, media_site.output)


def test_axe_finds_no_violation(media_site, page, axe_js):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(media_site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_port}{URL}")
        page.wait_for_load_state("load")
        broken = page.evaluate("""() => [...document.images]
            .filter(i => i.loading !== 'lazy' && !(i.complete && i.naturalWidth > 0))
            .map(i => i.src)""")
        assert broken == []
        assert_no_violations(run_axe(page, axe_js), URL)
    finally:
        server.shutdown()
        server.server_close()


def test_the_live_site_serves_the_sample_photo_and_document(live_site):
    """Through the publisher (make serve): the derivatives and the PDF are served."""
    import urllib.request

    from bs4 import BeautifulSoup

    seed = "/2014/06/12/inventer-les-services-publics-de-demain/"
    with urllib.request.urlopen(live_site.url(seed), timeout=10) as answer:
        soup = BeautifulSoup(answer.read().decode("utf-8"), "html.parser")
    figure = soup.select_one(".article__body figure.photo")
    assert "©\u00a0Département du Val-d'Oise (image d'exemple)" in figure.figcaption.get_text()
    urls = [figure.img["src"]] + [part.split()[0] for part in figure.img["srcset"].split(",")]
    pdf = next(a["href"] for a in soup.select(".article__body a") if a["href"].endswith(".pdf"))
    for url, kind in [*((u, "image/") for u in urls), (pdf, "application/pdf")]:
        with urllib.request.urlopen(live_site.url(url), timeout=10) as answer:
            assert answer.status == 200 and answer.headers["Content-Type"].startswith(kind), url
