"""The link check reads the pages while the build writes them (a second
process, plugins/linkcheck/prescan.py); its scans are used only for pages
that still have the bytes they were made from, so the verdict is the same."""

from __future__ import annotations

import pytest

from linkcheck import check
from linkcheck.check import Scan, check_output, scan_page
from linkcheck.prescan import Prescan

PAGE = '<p id="haut"><a href="/b/">b</a><img srcset="/i.png 1x, /j.png 2x"></p>\r\n'


def test_the_second_process_scans_what_it_is_told_as_the_check_would(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(PAGE.encode())
    (tmp_path / "feed.atom.xml").write_text("<feed/>")
    prescan = Prescan(tmp_path)
    prescan.add(str(tmp_path / "a" / "index.html"))
    prescan.add(str(tmp_path / "feed.atom.xml"))  # not a page: the check reads it
    prescan.add(str(tmp_path / "gone.html"))  # unreadable: left to the check
    scans = prescan.results()
    assert scans == {"a/index.html": scan_page(PAGE.encode())}
    assert scans["a/index.html"].ids == {"haut"}
    assert [r[2] for r in scans["a/index.html"].refs] == ["/b/", "/i.png", "/j.png"]
    prescan.add(str(tmp_path / "a" / "index.html"))  # after the end: ignored
    assert prescan.results() == {}


def test_a_scan_of_other_bytes_is_not_used(tmp_path):
    """The page was written again after its scan: the check reads it again."""
    (tmp_path / "index.html").write_text('<a href="/absente/">x</a>', encoding="utf-8")
    stale = Scan(scan_page(b"<p>avant</p>").digest, set(), [])
    broken = check_output(tmp_path, known={"index.html": stale})
    assert [b.target for b in broken] == ["/absente/"]
    same = scan_page((tmp_path / "index.html").read_bytes())
    lying = Scan(same.digest, set(), [])  # same bytes: the scan is trusted
    assert check_output(tmp_path, known={"index.html": lying}) == []


def test_a_dead_second_process_only_costs_time(tmp_path):
    (tmp_path / "index.html").write_text("<p>x</p>", encoding="utf-8")
    prescan = Prescan(tmp_path)
    prescan.process.kill()
    prescan.process.wait()
    for _ in range(3000):  # enough to fill the pipe: the write fails, quietly
        prescan.add(str(tmp_path / "index.html"))
    assert prescan.results() == {}


def test_a_build_reads_its_pages_in_the_second_process(build_site, monkeypatch):
    scanned_here = []
    real = check.scan_page
    monkeypatch.setattr(check, "scan_page", lambda data: scanned_here.append(1) or real(data))
    site = build_site(CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    pages = list(site.output.rglob("*.html"))
    assert len(pages) > 50
    assert scanned_here == []  # every page was scanned by the second process


def test_a_broken_link_is_still_found(build_site, content_copy):
    from linkcheck import LinkCheckError

    (content_copy / "articles" / "liens.md").write_text(
        "Title: Liens\nDate: 2014-03-01\nCategory: Institution\nSummary: Un chapô.\n\n"
        "Voir [le budget](/2014/04/15/budget-2041/).\n", encoding="utf-8")
    with pytest.raises(LinkCheckError, match="budget-2041"):
        build_site(content=content_copy)
