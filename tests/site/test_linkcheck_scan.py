"""The link check reads pages with ``_Page.scan``, a faster loop over the
standard library parser's own methods: it must find exactly the ids and
references that ``feed`` then ``close`` find, tricky HTML included, and the
same broken references over a whole folder."""

from __future__ import annotations

import pytest

from linkcheck import check_output
from linkcheck.check import Site, _Page

PAGES = [
    '<!DOCTYPE html><html><head><link rel="stylesheet" href="/theme/a.css">'
    '<script src="/theme/s.js"></script></head><body id="haut">'
    '<a href="/x/" id="l1">x</a><img src="/i.png" srcset="/i-1.png 1x, /i-2.png 2x"></body></html>',
    # Tags inside a comment, a script body, a style body: not references.
    '<!-- <a href="/commentaire/">x</a> --><script>var s = "<a href=\'/js/\'>";</script>'
    '<style>a::before{content:"<img src=/css.png>"}</style><a href="/apres/">y</a>',
    # Script end tag with spaces and capitals; a "<" inside an attribute value.
    '<SCRIPT>if (a < b) { x("<a href=/no/>") }</ScRiPt ><a title="a<b" href="/ok/">o</a>',
    # Entities and character references in attribute values; unquoted values.
    '<a href="/a?x=1&amp;y=2#s&eacute;">e</a><a href=/nu/ name=ancre>n</a>'
    '<img src=&#47;c.png><p id="&lt;id&gt;">t</p>',
    # Processing instruction, CDATA section, bogus declaration, stray "<".
    '<?xml version="1.0"?><![CDATA[<a href="/cdata/">]]><!bogus <a href="/b/">>'
    '1 < 2 <a href="/z/">z</a> << <3',
    # Cut at the end of the file: an unfinished tag, comment, script.
    '<a href="/fin/">f</a><img src="/coupe.png',
    '<a href="/fin/">f</a><!-- <a href="/dans-commentaire/">',
    '<a href="/fin/">f</a><script><a href="/dans-script/">',
    '<a href="/fin/">f</a><',
    '<a href="/fin/">f</a>&amp',
    # Self-closing, duplicate attributes, junk after a tag name.
    '<img src="/1.png"/><img src="/2.png" src="/3.png"><a/href="/slash/">s</a>'
    '<link rel="Preload Icon" href="/p.woff2"><link rel="author" href="/auteur/">',
    # End tags of every shape; ids on tags that are not references.
    '<div id="d1"></div ></ p></a x="1"></><p hidden>t</P><span class=x ID=Maj></span>'
    '<section data-id="non" width=2></section><a href="/e/">e</a></a\n>',
    "",
]


def by_feed(text):
    page = _Page()
    page.feed(text)
    page.close()
    return page.ids, page.refs


def by_scan(text):
    page = _Page()
    page.scan(text)
    return page.ids, page.refs


@pytest.mark.parametrize("text", PAGES)
def test_scan_finds_what_the_standard_parser_finds(text):
    assert by_scan(text) == by_feed(text)


def test_scan_is_not_trivially_empty():
    ids, refs = by_scan(PAGES[0])
    assert ids == {"haut", "l1"}
    assert ("img", "srcset", "/i-2.png") in refs and ("script", "src", "/theme/s.js") in refs


def test_targets_are_resolved_once_and_the_same_way(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="/a/">a</a><a href="/b/">b</a>'
                                               '<a href="/a/#nul">c</a><a href="../../x">d</a>')
    (tmp_path / "index.html").write_text('<a href="/a/">a</a><a href="/b/">b</a>')
    site = Site(tmp_path, [""])
    assert site.target_file("/a/") == (tmp_path / "a" / "index.html").resolve()
    assert site.target_file("/a/#x") is site.target_file("/a/")
    assert site.target_file("/b/") is None and site.target_file("/../etc/passwd") is None
    broken = [(b.page, b.target, b.kind) for b in check_output(tmp_path, [""])]
    assert broken == [("a/index.html", "/b/", "lien"), ("a/index.html", "/a/#nul", "ancre"),
                      ("a/index.html", "../../x", "lien"), ("index.html", "/b/", "lien")]


def test_a_relative_reference_is_judged_from_its_own_page(tmp_path):
    """Verdicts are shared between pages only for root-relative references."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h1 id="haut">a</h1><a href="#haut">h</a>'
                                               '<a href="page.html">p</a><a href="/a/#haut">r</a>')
    (tmp_path / "a" / "page.html").write_text('<a href="#haut">h</a><a href="/a/#haut">r</a>')
    (tmp_path / "b" / "index.html").write_text('<a href="#haut">h</a><a href="page.html">p</a>'
                                               '<a href="/a/#haut">r</a>')
    broken = [(b.page, b.target, b.kind) for b in check_output(tmp_path, [""])]
    assert broken == [("a/page.html", "#haut", "ancre"), ("b/index.html", "#haut", "ancre"),
                      ("b/index.html", "page.html", "lien")]


def test_targets_from_the_listing_are_the_ones_the_disk_gives(tmp_path):
    """Target paths are found in one listing of the output; wherever a path
    has a symbolic link, a "." or ".." part, the disk answers as before."""
    outside = tmp_path / "outside"
    out = tmp_path / "out"
    for folder in (outside, out / "a" / "b", out / "vide", out / "images"):
        folder.mkdir(parents=True)
    for page in ("index.html", "a/index.html", "a/b/page.html", "images/i.png"):
        (out / page).write_text("x")
    (outside / "index.html").write_text("secret")
    (out / "lien-dehors").symlink_to(outside)
    (out / "lien-dedans").symlink_to(out / "a")
    (out / "a" / "alias.html").symlink_to(out / "a" / "b" / "page.html")
    (out / "a" / "cassé.html").symlink_to(out / "absent.html")
    site = Site(out, [""])
    paths = ["", "index.html", "a", "a/", "a/b", "a/b/", "a/b/page.html", "a/b/page.html/",
             "vide/", "vide/index.html", "absent/", "absent/x.html", "a/absent.html",
             "images/i.png", "lien-dehors/", "lien-dehors/index.html", "lien-dedans/",
             "lien-dedans/b/page.html", "a/alias.html", "a/cassé.html", "a/../index.html",
             "./index.html", "a//index.html", "a/./b/page.html", "../outside/index.html",
             "lien-dedans/../index.html", "a/b/../../index.html"]
    found = {p: site._resolve(p) for p in paths}
    assert found == {p: site._resolve_on_disk(p) for p in paths}
    assert found["a/"] == out.resolve() / "a" / "index.html"
    assert found["lien-dehors/"] is None and found["vide/"] is None
    assert found["a/alias.html"] == out.resolve() / "a" / "b" / "page.html"
