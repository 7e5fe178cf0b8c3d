"""Expired contents answer 410 Gone (plugins/expiry's markers, read by the
nginx configuration of deploy/): real builds of a copy of the content
before and after the expiry (the SCHEDULE_NOW clock), served by Debian's
nginx; `current` switched from one to the other without a reload."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deploylib import Nginx, free_port, http
from support import EXPIRING_ARTICLE, EXPIRING_EVENT, EXPIRING_PAGE, expiring_site

pytestmark = pytest.mark.timeout(600)
ARTICLE, EVENT, PAGE = EXPIRING_ARTICLE, EXPIRING_EVENT, EXPIRING_PAGE


def switch(root: Path, release: Path) -> None:
    link = root / "current.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(release)
    os.replace(link, root / "current")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("gone")
    built = expiring_site(site)
    assert all(done.returncode == 0 for done in built), [done.stdout + done.stderr for done in built]
    before, after = site / "before", site / "after"
    root = site / "root"
    root.mkdir()
    switch(root, after)
    nginx = Nginx(site / "nginx", root, ["127.0.0.1:9"], port=free_port())
    yield nginx, root, before, after
    nginx.stop()


def gone_urls(release: Path) -> list[str]:
    """The addresses of the markers plugins/expiry wrote (.gone/<output path>.410)."""
    urls = []
    for marker in sorted((release / ".gone").rglob("*.410")):
        path = marker.relative_to(release / ".gone").as_posix()[:-len(".410")]
        urls.append("/" + (path[:-len("index.html")] if path.endswith("index.html") else path))
    return urls


def test_the_build_marks_each_expired_content(served):
    _nginx, _root, before, after = served
    urls = gone_urls(after)
    assert len(urls) == 3, urls  # the article, the event, the page
    assert any(u.startswith("/2014/07/08/") for u in urls)
    assert any(u.startswith("/agenda/") for u in urls) and "/operation-hiver/" in urls
    assert not (before / ".gone").exists()  # nothing expired yet
    assert not list(after.rglob(".gone/**/*.html"))  # no page a check or index would read
    for url in urls:  # no page left at these addresses
        assert not (after / url.lstrip("/") / "index.html").exists()


def test_an_expired_content_answers_410_with_the_french_page(served):
    nginx, _root, _before, after = served
    for url in gone_urls(after):
        for variant in (url, url.rstrip("/")):
            answer = http(nginx.base + variant)
            assert answer.status == 410, (variant, answer.status)
            assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
            text = answer.body.decode("utf-8")
            assert "<h1>Page retirée</h1>" in text and "retirée du site" in text
            assert "noindex" in text


def test_other_addresses_keep_their_answers(served):
    nginx, _root, _before, after = served
    missing = http(nginx.base + "/2014/07/08/une-adresse-qui-n-a-jamais-existe/")
    assert missing.status == 404 and "Page introuvable" in missing.body.decode("utf-8")
    marker = "/.gone" + gone_urls(after)[0] + "index.html.410"
    assert http(nginx.base + marker).status == 404  # the markers are not served
    assert http(nginx.base + "/.gone/").status == 404
    assert http(nginx.base + "/").status == 200
    assert http(nginx.base + "/410.html").status == 200  # the page itself, for error_page


def test_the_answer_follows_the_served_release_without_a_reload(served):
    nginx, root, before, after = served
    urls = gone_urls(after)
    try:
        switch(root, before)  # as a rollback to a release made before the expiry
        for url in urls:
            assert http(nginx.base + url).status == 200, url
    finally:
        switch(root, after)
    assert all(http(nginx.base + url).status == 410 for url in urls)
