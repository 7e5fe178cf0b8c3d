"""Readers' reports in the moderation console, over real HTTP: shown beside
the comment (count, reasons, details escaped) in the lists and in the
« Signalements » view; « Retirer » and « Maintenir » work through the store,
close the reports and leave audit lines; a POST without the session's CSRF
token, or without a session, changes nothing."""

from __future__ import annotations

import urllib.parse

from comment_service.reports import texts
from comment_service.reports.records import ReportStore
from comment_testlib import PREFIX, THREAD
from consolelib import Browser, audit, raw_request, state_of


def reported(console_server, store, *details, name="Lucie", ip_base=60):
    """A published comment and one report per detail, each from its own address."""
    comment = store.add(THREAD, name, "", "Un texte signalé", status="approved")
    for i, detail in enumerate(details):
        body = urllib.parse.urlencode({"motif": "attaque-personnelle", "precisions": detail}).encode()
        status, _, _ = raw_request(console_server, "POST", f"{PREFIX}/signaler/{comment.id}", body, {
            "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": f"203.0.113.{ip_base + i}"})
        assert status == 200
    return comment


def test_reports_are_shown_beside_the_comment_escaped(console_server, store, alice):
    comment = reported(console_server, store, "<img src=x onerror=alert(1)>", "", ip_base=60)
    for path in ("/publies", "/signalements"):
        body = alice.get(path).body
        section = body[body.index(comment.id):]
        assert "Signalements ouverts\u00a0: 2" in section
        assert "Attaque personnelle, y compris contre des agents ou des élus" in section
        assert "&lt;img src=x onerror=alert(1)&gt;" in section and "<img src=x" not in body
        assert texts.NO_MESSAGE in section
    assert 'aria-current="page">Signalements</a>' in alice.get("/signalements").body


def test_unpublish_from_the_reports_view(console_server, store, alice):
    comment = reported(console_server, store, "Insulte", ip_base=70)
    alice.get("/signalements")
    page = alice.post("/signalements/actions", {"un": f"unpublish:{comment.id}"})
    assert page.status == 303
    assert texts.DONE_UNPUBLISH in alice.follow(page).body
    assert state_of(console_server.store, comment.id) == ["pending"]
    assert [r.status for r in ReportStore(console_server.store).for_comment(comment.id)] == ["unpublished"]
    mine = [e for e in audit(console_server.store) if e.get("comment_id") == comment.id]
    assert [e["action"] for e in mine] == ["unpublish", "reports-close"]
    assert (mine[1]["actor"], mine[1]["outcome"], mine[1]["reports"]) == ("alice", "unpublished", 1)
    assert comment.id not in alice.get("/signalements").body


def test_keep_closes_the_reports_and_puts_a_hidden_comment_back(console_server, store, alice):
    comment = reported(console_server, store, "Pas d'accord", ip_base=80)
    store.move(comment.id, "pending", expect="approved")  # as COMMENTS_REPORTS_HIDE_AFTER does
    alice.get("/signalements")
    page = alice.post("/signalements/actions", {"un": f"keep:{comment.id}"})
    assert texts.DONE_KEEP in alice.follow(page).body
    assert state_of(console_server.store, comment.id) == ["approved"]
    assert [r.status for r in ReportStore(console_server.store).for_comment(comment.id)] == ["kept"]
    assert [e["action"] for e in audit(console_server.store) if e.get("comment_id") == comment.id][-2:] == [
        "approve", "reports-close"]


def test_actions_need_the_csrf_token_and_a_session(console_server, store, alice, ips):
    comment = reported(console_server, store, "x", ip_base=90)
    before = len(audit(console_server.store))
    for csrf in (None, "", "faux-jeton"):
        page = alice.post("/signalements/actions", {"un": f"unpublish:{comment.id}"}, csrf=csrf)
        assert page.status == 403 and "lang=\"fr\"" in page.body
    stranger = Browser(console_server, ip=ips())
    assert stranger.post("/signalements/actions", {"un": f"unpublish:{comment.id}"}, csrf="x").status == 403
    assert stranger.get("/signalements").status == 303  # to the login page
    assert state_of(console_server.store, comment.id) == ["approved"]
    assert [r.status for r in ReportStore(console_server.store).for_comment(comment.id)] == ["open"]
    assert len(audit(console_server.store)) == before
    alice.get("/signalements")
    for bad in ("delete:" + comment.id, "keep:../../x", "unpublish:"):
        page = alice.post("/signalements/actions", {"un": bad})
        assert page.status == 303
    assert state_of(console_server.store, comment.id) == ["approved"]
    assert alice.get("/signalements/autre").status == 404
    assert alice.post("/signalements", {"un": f"keep:{comment.id}"}).status == 405
