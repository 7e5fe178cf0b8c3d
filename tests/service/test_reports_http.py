"""« Signaler ce commentaire » over real HTTP: gunicorn with two workers on
127.0.0.1, production settings, the SQLite guard shared by the workers."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from comment_service.captcha import challenge as captcha
from comment_service.reports import texts
from comment_service.reports.records import ReportStore
from comment_service.store import CommentStore

from comment_testlib import PREFIX, THREAD, start_gunicorn, stop_server

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    server = start_gunicorn(tmp_path_factory.mktemp("reports-http"), env_overrides={
        "COMMENTS_REPORT_RATE_LIMIT": "3/600", "COMMENTS_REPORTS_HIDE_AFTER": "4"})
    yield server
    stop_server(server)


def send(srv, comment_id, fields, ip, ctype=FORM, method="POST"):
    body = urllib.parse.urlencode(fields).encode("utf-8") if isinstance(fields, dict) else fields
    return srv.request(method, f"{PREFIX}/signaler/{comment_id}", body if method == "POST" else None,
                       {"Content-Type": ctype, "X-Forwarded-For": ip, "Accept": "text/html"})


def solved(srv, html, fields):
    token = re.search(r'name="captcha_token"[^>]*value="([^"]+)"', html)[1]
    return dict(fields, captcha_token=token, captcha_answer=captcha.answer_for(token, srv.secret))


def test_report_stored_then_captcha_then_rate_limit(srv):
    comment = CommentStore(srv.store).add(THREAD, "Jean", "", "Publié.", status="approved")
    ip = "203.0.113.10"
    status, _, body = send(srv, comment.id, {}, ip, method="GET")
    assert status == 200 and "Signaler un commentaire" in body.decode()
    status, _, body = send(srv, comment.id, {"motif": "publicite", "precisions": "Une pub"}, ip)
    assert status == 200 and "Signalement reçu" in body.decode()
    [report] = ReportStore(srv.store).for_comment(comment.id)
    assert (report.reason, report.message, report.status) == ("publicite", "Une pub", "open")
    # The second one from this address (either worker) asks for the captcha.
    status, _, body = send(srv, comment.id, {"motif": "forme"}, ip)
    assert status == 400 and texts.CAPTCHA_NEEDED in body.decode()
    status, _, body = send(srv, comment.id, solved(srv, body.decode(), {"motif": "forme"}), ip)
    assert status == 200, body.decode()[-500:]
    status, _, body = send(srv, comment.id, {"motif": "forme"}, ip)
    status, _, body = send(srv, comment.id, solved(srv, body.decode(), {"motif": "forme"}), ip)
    assert status == 200
    status, headers, body = send(srv, comment.id, {"motif": "forme"}, ip)
    assert status == 429 and int(headers["retry-after"]) > 0 and "Réessayez dans" in body.decode()
    assert len(ReportStore(srv.store).for_comment(comment.id)) == 3


def test_hostile_and_unknown_over_http(srv):
    comment = CommentStore(srv.store).add(THREAD, "Jean", "", "Publié.", status="approved")
    for fields in ({"motif": "<script>"}, {"motif": "forme", "precisions": "\u202e\x07"},
                   {"motif": "forme", "precisions": "x" * 5000}):
        status, _, body = send(srv, comment.id, fields, "203.0.113.20")
        assert status == 400 and "<script>" not in body.decode()
    status, _, _ = send(srv, comment.id, b"motif=%FF%FE", "203.0.113.21")
    assert status == 400
    for bad in ("20991231T000000000000Z-000000000000", "..", "x%0A"):
        status, _, body = send(srv, bad, {"motif": "forme"}, "203.0.113.22")
        assert status == 404 and 'lang="fr"' in body.decode()
    assert ReportStore(srv.store).for_comment(comment.id) == []


def test_hide_after_four_open_reports_over_http(srv):
    store = CommentStore(srv.store)
    comment = store.add(THREAD, "Jean", "", "Publié.", status="approved")
    for i in range(4):
        status, _, body = send(srv, comment.id, {"motif": "attaque-personnelle"}, f"203.0.113.{40 + i}")
        assert status == 200
    assert texts.DONE_HIDDEN in body.decode()
    assert store.get(comment.id).status == "pending"
