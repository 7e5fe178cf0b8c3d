"""Expired contents answer 410 Gone (plugins/expiry's markers, read by the
nginx configuration of deploy/): real builds of a copy of the content
before and after the expiry (the SCHEDULE_NOW clock), served by Debian's
nginx; `current` switched from one to the other without a reload."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploylib import Nginx, free_port, http
from support import ROOT

pytestmark = pytest.mark.timeout(600)
ARTICLE = "content/articles/2014-07-08-travaux-ete-rd14.md"
EVENT = "content/events/2027-01-15-voeux-du-departement.md"
PAGE = "content/pages/operation-hiver.md"  # the site's own pages are linked by the theme
BEFORE, AFTER = "2026-11-26 12:00", "2026-12-02 09:00"


def add_field(path: Path, line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(site: Path, now: str, name: str) -> Path:
    command = [sys.executable, "-m", "editorial", str(site / "content"), "-o", str(site / name),
               "-s", "pelicanconf.py", "-e", f"SCHEDULE_NOW={json.dumps(now)}",
               "-e", "EVENTS_TODAY=\"2026-11-26\""]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": "plugins"})
    assert done.returncode == 0, done.stdout + done.stderr
    return site / name


def switch(root: Path, release: Path) -> None:
    link = root / "current.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(release)
    os.replace(link, root / "current")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("gone")
    shutil.copytree(ROOT / "content", site / "content")
    (site / PAGE).write_text("Title: Opération grand froid\nSlug: operation-hiver\n\n"
                             "Numéros utiles cet hiver.\n", encoding="utf-8")
    add_field(site / ARTICLE, "Expire: 2026-12-01 18:00")
    add_field(site / EVENT, "Expiration: 2026-12-01")
    add_field(site / PAGE, "Expire: 2026-12-01 08:00")
    before, after = build(site, BEFORE, "before"), build(site, AFTER, "after")
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
