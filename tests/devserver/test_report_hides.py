"""COMMENTS_REPORTS_HIDE_AFTER end to end, in the development launcher: the
second open report takes a published comment off its page (the publisher,
which watches the store, publishes the page again without it); « Maintenir »
in the console would put it back (tests/moderation/test_console_reports.py)."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from browserlib import running_site
from comment_service.store import CommentStore

pytestmark = pytest.mark.timeout(300)

THREAD = "budget-2014-les-priorites-du-departement"
ARTICLE = "/2014/04/15/budget-2014-les-priorites-du-departement/"


def report(site, comment_id: str, fields: dict) -> tuple[int, str]:
    request = urllib.request.Request(site.url(f"/commentaires/signaler/{comment_id}"),
                                     urllib.parse.urlencode(fields).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode("utf-8")


def test_the_second_open_report_takes_the_comment_off_its_page(tmp_path):
    with running_site(tmp_path, COMMENTS_REPORTS_HIDE_AFTER="2") as site:
        comment = CommentStore(site.store).add(THREAD, "Très Signalé", "", "Un avis bientôt retiré.",
                                              status="approved")
        site.wait_for_text(ARTICLE, "Un avis bientôt retiré.", True)
        assert report(site, comment.id, {"motif": "forme"})[0] == 200
        status, html = report(site, comment.id, {"motif": "publicite"})
        assert status == 400  # the same address again: the captcha is asked
        token = re.search(r'name="captcha_token"[^>]*value="([^"]+)"', html)[1]
        status, html = report(site, comment.id, {"motif": "publicite", "captcha_token": token,
                                                 "captcha_answer": site.answer(token)})
        assert status == 200 and "retiré de la page" in html
        site.wait_for_text(ARTICLE, "Un avis bientôt retiré.", False)
        assert CommentStore(site.store).get(comment.id).status == "pending"
