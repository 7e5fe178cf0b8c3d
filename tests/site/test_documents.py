"""Documents linked from articles: the link text says format, size and
language (from the real file); a PDF that is not accessible needs an
accessible alternative beside it, else the build refuses it (RGAA 13.3)."""

from __future__ import annotations

import os
import zipfile

import pytest

from documents.inspect import pdf_problems, size_fr
from documents.makepdf import make_pdf
from editorial import ContentError

ARTICLE = "/2014/03/01/des-documents/"
HEADER = """Title: Des documents
Date: 2014-03-01
Category: Institution
Summary: Un chapô.

Un premier paragraphe.

{body}
"""
SEED = "/2014/06/12/inventer-les-services-publics-de-demain/"


def write(content_copy, body: str) -> None:
    (content_copy / "articles" / "documents.md").write_text(HEADER.format(body=body),
                                                            encoding="utf-8")


def office(path, language: str | None, padding: int = 0):
    """A minimal ODT (or DOCX) with its language in the metadata, padded to a size."""
    lang = f"<dc:language>{language}</dc:language>" if language else ""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        if path.suffix == ".odt":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr("meta.xml", '<office:document-meta xmlns:office="urn:oasis:names:'
                             'tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/'
                             f'elements/1.1/"><office:meta>{lang}</office:meta>'
                             "</office:document-meta>")
        else:
            archive.writestr("docProps/core.xml", '<cp:coreProperties xmlns:cp="x" '
                             f'xmlns:dc="http://purl.org/dc/elements/1.1/">{lang}'
                             "</cp:coreProperties>")
        archive.writestr("padding.bin", os.urandom(padding))
    return path


def links(site, url=ARTICLE):
    return site.soup(url).select(".article__body a")


def test_the_seed_article_links_its_sample_pdf_with_format_and_size(dev_site):
    link = next(a for a in links(dev_site, SEED) if a["href"].endswith(".pdf"))
    assert link.get_text().endswith("(PDF, 2\u00a0ko)"), link.get_text()
    assert dev_site.path(link["href"]).is_file()
    assert pdf_problems(dev_site.path(link["href"])) == []


def test_office_files_get_format_size_and_language(build_site, content_copy):
    docs = content_copy / "documents"
    office(docs / "compte-rendu.odt", "fr-FR", padding=1_230_000)
    office(docs / "report.docx", "en-GB", padding=340_000)
    write(content_copy, "- [Compte rendu]({static}/documents/compte-rendu.odt)\n"
                        "- [Annual report]({static}/documents/report.docx) (DOCX, 3 Mo)\n")
    site = build_site(content=content_copy)
    odt, docx = links(site)
    assert odt.get_text() == "Compte rendu (ODT, 1,2\u00a0Mo)" and not odt.get("hreflang")
    assert docx.get_text() == "Annual report (DOCX, 340\u00a0ko, en anglais)"
    assert docx["hreflang"] == "en-GB"


def test_a_site_address_of_a_document_is_described_too(build_site, content_copy):
    make_pdf(content_copy / "documents" / "a.pdf", "Un titre", ["Un titre", "Un texte."])
    write(content_copy, "[Le programme](/documents/a.pdf)")
    assert links(build_site(content=content_copy))[0].get_text() == "Le programme (PDF, 1\u00a0ko)"


def test_a_size_typed_by_hand_is_replaced_by_the_real_one(build_site, content_copy):
    make_pdf(content_copy / "documents" / "a.pdf", "Un titre", ["Un titre", "Un texte."])
    write(content_copy, "[Le programme (PDF, 3 Mo)]({static}/documents/a.pdf)")
    assert links(build_site(content=content_copy))[0].get_text() == "Le programme (PDF, 1\u00a0ko)"


@pytest.mark.parametrize("faults,words", [
    ({"tagged": False}, "il n'est pas balisé"),
    ({"lang": None}, "sa langue n'est pas indiquée"),
    ({"title": ""}, "il n'a pas de titre"),
])
def test_an_inaccessible_pdf_without_alternative_is_refused(build_site, content_copy, faults,
                                                            words):
    options = {"title": "Un titre", **faults}
    make_pdf(content_copy / "documents" / "scan.pdf", options.pop("title"), ["Un texte"],
             **options)
    write(content_copy, "[Le rapport]({static}/documents/scan.pdf)")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    lines = [line for line in str(err.value).splitlines() if "scan.pdf" in line]
    assert len(lines) == 1, str(err.value)
    assert lines[0].startswith("- content/articles/documents.md, ligne 8 : document "
                               "« {static}/documents/scan.pdf » : ce PDF n'est pas accessible (")
    assert words in lines[0] and "« PDF balisé »" in lines[0] and "version accessible" in lines[0]


def test_a_damaged_pdf_is_refused(build_site, content_copy):
    (content_copy / "documents" / "abime.pdf").write_bytes(b"%PDF-1.7\n tronque")
    write(content_copy, "[Le rapport]({static}/documents/abime.pdf)")
    with pytest.raises(ContentError, match=r"ligne 8 : document .*abime\.pdf.* ne s'ouvre pas"):
        build_site(content=content_copy)


def test_an_inaccessible_pdf_with_an_accessible_alternative_is_accepted(build_site,
                                                                        content_copy):
    make_pdf(content_copy / "documents" / "scan.pdf", "", ["Un texte"], lang=None, tagged=False)
    office(content_copy / "documents" / "scan.odt", "fr", padding=10_000)
    write(content_copy, "[Le rapport]({static}/documents/scan.pdf) "
                        "([version accessible]({static}/documents/scan.odt))")
    site = build_site(content=content_copy)
    pdf, alternative = links(site)
    assert pdf.get_text() == "Le rapport (PDF, 1\u00a0ko)"
    assert alternative.get_text().startswith("version accessible (ODT, ")


def test_a_document_outside_the_published_folders_is_refused(build_site, content_copy):
    (content_copy / "pieces").mkdir()
    make_pdf(content_copy / "pieces" / "a.pdf", "Un titre", ["Un texte"])
    write(content_copy, "[Le rapport]({static}/pieces/a.pdf)")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    assert any(line.startswith("- content/articles/documents.md, ligne 8 : document") and
               "déposez le document dans content/documents/" in line
               for line in str(err.value).splitlines()), str(err.value)


@pytest.mark.parametrize("count,text", [(0, "1\u00a0ko"), (999, "1\u00a0ko"),
                                        (340_400, "340\u00a0ko"), (1_234_567, "1,2\u00a0Mo"),
                                        (12_000_000, "12\u00a0Mo"), (1_250_000_000, "1\u202f250\u00a0Mo")])
def test_sizes_are_written_the_french_way(count, text):
    assert size_fr(count) == text
