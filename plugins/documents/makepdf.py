"""Make a small tagged PDF (title, language, structure) with pikepdf alone.

The sample document of the site (content/documents/) was made with it, and
the tests make their accessible and inaccessible PDFs with it::

    python -m documents.makepdf content/documents/exemple.pdf "Titre" "Ligne 1" "Ligne 2"

``make_pdf(path, title, lines, lang="fr-FR", tagged=True)``: one A4 page,
Helvetica (WinAnsi), the first line a heading (``/H1``), the others
paragraphs (``/P``), each a marked-content sequence of the structure tree;
``/MarkInfo /Marked true``, ``/Lang``, ``/Title`` and
``/DisplayDocTitle``. ``tagged=False`` (and ``lang=None``, ``title=""``) make
the faults the site refuses.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _pdf_text(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(path: Path, title: str, lines: list[str], lang: str | None = "fr-FR",
             tagged: bool = True) -> Path:
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                        BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding))
    stream = []
    y = 780
    for mcid, line in enumerate(lines):
        tag, size = (b"/H1", 18) if mcid == 0 else (b"/P", 11)
        body = b"BT /F1 %d Tf 56 %d Td %s Tj ET" % (size, y, _pdf_text(line))
        stream.append(tag + b" <</MCID %d>> BDC " % mcid + body + b" EMC" if tagged else body)
        y -= 32 if mcid == 0 else 18
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"\n".join(stream))
    if tagged:
        root_elem = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document,
                                                P=root_elem))
        kids = []
        for mcid in range(len(lines)):
            kids.append(pdf.make_indirect(Dictionary(
                Type=Name.StructElem, S=Name.H1 if mcid == 0 else Name.P, P=document,
                Pg=page.obj, K=mcid)))
        document.K = Array(kids)
        root_elem.K = Array([document])
        root_elem.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([0, Array(kids)])))
        root_elem.ParentTreeNextKey = 1
        page.obj.StructParents = 0
        pdf.Root.StructTreeRoot = root_elem
        pdf.Root.MarkInfo = Dictionary(Marked=True)
    if lang:
        pdf.Root.Lang = pikepdf.String(lang)
    if title:
        pdf.docinfo["/Title"] = pikepdf.String(title)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    path = Path(path)
    pdf.save(path, deterministic_id=True)
    return path


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage : python -m documents.makepdf FICHIER.pdf TITRE LIGNE [LIGNE…]")
    make_pdf(Path(sys.argv[1]), sys.argv[2], sys.argv[3:])
