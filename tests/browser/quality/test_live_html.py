"""The Nu HTML Checker on the pages only the live site produces: an article
with a published comment, the comment service's no-JavaScript pages."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from livelib import COMMENTED, COMMENTED_THREAD
from quality.qualitylib import describe_vnu, run_vnu

pytestmark = pytest.mark.timeout(300)


def fetch(url: str, data: bytes | None = None) -> str:
    request = urllib.request.Request(url, data=data, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:  # the service answers 400 with its form page
        return exc.read().decode("utf-8")


@pytest.mark.autocheck("vnu")
def test_live_pages_are_valid_html(commented_site, vnu, tmp_path):
    base = commented_site.url("")
    pages = {
        "article-with-comment.html": fetch(base + COMMENTED),
        "service-errors.html": fetch(base + f"/commentaires/fils/{COMMENTED_THREAD}",
                                     urllib.parse.urlencode({"name": "", "text": ""}).encode()),
        "service-code-step.html": fetch(base + f"/commentaires/fils/{COMMENTED_THREAD}",
                                        urllib.parse.urlencode({"name": "Sans JS",
                                                                "text": "Bonjour"}).encode()),
    }
    assert 'class="comment"' in pages["article-with-comment.html"]
    assert "captcha_answer" in pages["service-code-step.html"]
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    errors = run_vnu(vnu, tmp_path)
    assert errors == [], describe_vnu(errors, tmp_path)
