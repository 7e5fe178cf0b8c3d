"""« Signaler ce commentaire » at WSGI level (comment_service/reports/): a report
is stored as a file of its own, the second one from an address needs the
captcha, the rate limit holds, hostile input is a French 4xx (never a 500,
never a file), an unknown or unpublished comment is a 404, and
COMMENTS_REPORTS_HIDE_AFTER takes a comment off its page."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

from comment_service.captcha import challenge as captcha
from comment_service.rules import messages as msg
from comment_service.config import RateLimit
from comment_service.rules.reasons import REASONS
from comment_service.reports import texts
from comment_service.reports.records import ReportStore
from comment_service.store import CommentStore

from comment_testlib import PREFIX, THREAD, tmp_leftovers

FORM = "application/x-www-form-urlencoded"
_TOKEN_RE = re.compile(r'name="captcha_token"[^>]*value="([^"]+)"')


def report_files(store):
    return sorted((store / "reports").rglob("*.json")) if (store / "reports").exists() else []


def published(client, text="Un commentaire publié.", name="Jean"):
    return CommentStore(client.config.store).add(THREAD, name, "jean@example.org", text, status="approved")


def post(client, comment_id, fields, ip="192.0.2.1", **kw):
    body = urllib.parse.urlencode(fields).encode("utf-8") if isinstance(fields, (dict, list)) else fields
    kw.setdefault("content_type", FORM)
    return client.request("POST", f"{PREFIX}/signaler/{comment_id}", body, remote_addr=ip, **kw)


def with_captcha(client, page_html, fields):
    token = _TOKEN_RE.search(page_html)[1]
    return dict(fields, captcha_token=token, captcha_answer=captcha.answer_for(token, client.config.secret))


def test_the_page_offers_the_charters_reasons_and_no_captcha_at_first(client):
    comment = published(client, text="<script>alert(1)</script>")
    resp = client.request("GET", f"{PREFIX}/signaler/{comment.id}", headers={"Accept": "text/html"})
    assert resp.status == 200
    assert re.findall(r'name="motif" value="([^"]+)"', resp.text) == list(REASONS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in resp.text and "<script>" not in resp.text
    assert 'name="captcha_token"' not in resp.text
    assert resp.headers["content-security-policy"].startswith("default-src 'none'")


def test_a_report_is_stored_as_its_own_file_without_the_address(client):
    comment = published(client)
    resp = post(client, comment.id, {"motif": "publicite", "precisions": "Lien vers une boutique.\r\nDeux lignes."})
    assert resp.status == 200, resp.text
    assert "Signalement reçu" in resp.text and "Merci" in resp.text
    [path] = report_files(client.config.store)
    assert path.relative_to(client.config.store).parts[:3] == ("reports", THREAD, comment.id)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["reason"] == "publicite" and data["message"] == "Lien vers une boutique.\nDeux lignes."
    assert data["status"] == "open" and data["comment_id"] == comment.id
    assert "192.0.2.1" not in path.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o777 == 0o640
    assert tmp_leftovers(client.config.store) == []


def test_the_second_report_from_an_address_needs_the_captcha(client):
    first, second = published(client), published(client)
    assert post(client, first.id, {"motif": "hors-sujet"}).status == 200
    resp = post(client, second.id, {"motif": "forme", "precisions": "Gardé"})
    assert resp.status == 400
    assert texts.CAPTCHA_NEEDED in resp.text and 'name="captcha_token"' in resp.text
    assert "Gardé" in resp.text and 'value="forme" checked' in resp.text
    assert "captcha/" in resp.text and ".mp3" in resp.text and msg.REGENERATE in resp.text
    assert len(report_files(client.config.store)) == 1
    # Another address is still free of it.
    assert post(client, second.id, {"motif": "forme"}, ip="192.0.2.99").status == 200
    # A wrong answer is refused; the right one goes through and is spent.
    wrong = dict(with_captcha(client, resp.text, {"motif": "forme"}), captcha_answer="ZZZZZ")
    again = post(client, second.id, wrong)
    assert again.status == 400 and msg.CAPTCHA_WRONG in again.text
    good = with_captcha(client, again.text, {"motif": "forme"})
    assert post(client, second.id, good).status == 200
    replay = post(client, second.id, good)
    assert replay.status == 400 and msg.CAPTCHA_USED in replay.text
    assert len(report_files(client.config.store)) == 3


def test_regenerate_draws_a_new_captcha_and_keeps_the_values(client):
    comment = published(client)
    post(client, comment.id, {"motif": "forme"})
    page = post(client, comment.id, {"motif": "forme"}).text
    resp = post(client, comment.id, dict(with_captcha(client, page, {"motif": "publicite", "precisions": "abc"}),
                                         action="regenerer"))
    assert resp.status == 200 and msg.REGENERATED in resp.text
    assert _TOKEN_RE.search(resp.text)[1] != _TOKEN_RE.search(page)[1]
    assert 'value="publicite" checked' in resp.text and "abc" in resp.text
    assert len(report_files(client.config.store)) == 1


def test_the_rate_limit_holds_per_address(make_client):
    client = make_client(report_rate_limit=RateLimit(2, 600))
    comment = published(client)
    assert post(client, comment.id, {"motif": "forme"}).status == 200
    page = post(client, comment.id, {"motif": "forme"}).text
    assert post(client, comment.id, with_captcha(client, page, {"motif": "forme"})).status == 200
    resp = post(client, comment.id, {"motif": "forme"})
    assert resp.status == 429 and int(resp.headers["retry-after"]) > 0
    assert "Réessayez dans" in resp.text
    assert len(report_files(client.config.store)) == 2
    assert post(client, comment.id, {"motif": "forme"}, ip="192.0.2.50").status == 200


@pytest.mark.parametrize("path", ["inconnu", "20261207T184819550548Z-2f32f89545bb", "..%2F..%2Fetc",
                                  "20261207T184819550548Z-2f32f89545bb%0A", "a" * 300, "%00", "%C3%A9"])
def test_an_unknown_comment_is_a_french_404(client, path):
    for method in ("GET", "POST"):
        resp = client.request(method, f"{PREFIX}/signaler/" + urllib.parse.unquote(path), b"motif=forme",
                              content_type=FORM, headers={"Accept": "text/html"}, validate=False)
        assert resp.status == 404, (method, path, resp.status)
        assert "introuvable" in resp.text or "n’existe pas" in resp.text
    assert report_files(client.config.store) == []


def test_a_pending_or_rejected_comment_cannot_be_reported(client):
    store = CommentStore(client.config.store)
    pending = store.add(THREAD, "A", "", "En attente")
    rejected = store.add(THREAD, "B", "", "Refusé")
    store.move(rejected.id, "rejected", reason="forme")
    for comment in (pending, rejected):
        resp = post(client, comment.id, {"motif": "forme"})
        assert resp.status == 404 and texts.NOT_FOUND in resp.text.replace("&#39;", "'")
    assert report_files(client.config.store) == []


def test_hostile_fields_are_french_4xx_never_500(client, blns):
    comment = published(client)
    ip = iter(f"198.51.100.{i}" for i in range(1, 250))
    for value in blns[::7]:
        for fields in ({"motif": value}, {"motif": "forme", "precisions": value + "\x00"}):
            resp = post(client, comment.id, fields, ip=next(ip))
            assert resp.status == 400, (value, resp.status)
            assert "<!DOCTYPE html>" in resp.text and 'lang="fr"' in resp.text
    too_long = post(client, comment.id, {"motif": "forme", "precisions": "é" * 1001}, ip=next(ip))
    assert too_long.status == 400 and "1001 caractères" in too_long.text
    for body, ctype, status in ((b"motif=%FF", FORM, 400), (b"motif=forme&motif=forme", FORM, 400),
                                (b'{"motif": "forme"}', "application/json", 415),
                                (b"motif=forme", "text/plain", 415)):
        resp = post(client, comment.id, body, content_type=ctype, ip=next(ip))
        assert resp.status == status, (body, resp.status, resp.text[:200])
    foreign = post(client, comment.id, {"motif": "forme"}, headers={"Origin": "https://evil.example"})
    assert foreign.status == 403
    assert client.request("DELETE", f"{PREFIX}/signaler/{comment.id}").status == 405
    assert report_files(client.config.store) == []


def test_a_comment_with_n_open_reports_leaves_its_page(make_client):
    client = make_client(reports_hide_after=2)
    store = CommentStore(client.config.store)
    comment = published(client)
    first = post(client, comment.id, {"motif": "forme"}, ip="192.0.2.1")
    assert first.status == 200 and texts.DONE_HIDDEN not in first.text
    assert store.get(comment.id).status == "approved"
    second = post(client, comment.id, {"motif": "forme"}, ip="192.0.2.2")
    assert second.status == 200 and texts.DONE_HIDDEN in second.text
    assert store.get(comment.id).status == "pending"
    audit = [json.loads(x) for x in (client.config.store / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["action"] == "report-hide" and audit[-1]["comment_id"] == comment.id
    # Off the page: no more reports on it.
    assert post(client, comment.id, {"motif": "forme"}, ip="192.0.2.3").status == 404
    assert len(ReportStore(client.config.store).for_comment(comment.id)) == 2


def test_hide_after_zero_never_hides(make_client):
    client = make_client(reports_hide_after=0)
    comment = published(client)
    for i in range(4):
        assert post(client, comment.id, {"motif": "forme"}, ip=f"192.0.2.{i + 1}").status == 200
    assert CommentStore(client.config.store).get(comment.id).status == "approved"


def test_the_setting_is_read_from_the_environment():
    from comment_service.config import ConfigError, load_config
    assert load_config({"COMMENTS_REPORTS_HIDE_AFTER": "4"}).reports_hide_after == 4
    assert load_config({}).reports_hide_after == 3
    assert load_config({"COMMENTS_REPORT_RATE_LIMIT": "2/60"}).report_rate_limit == RateLimit(2, 60)
    for bad in ("-1", "deux"):
        with pytest.raises(ConfigError):
            load_config({"COMMENTS_REPORTS_HIDE_AFTER": bad})
