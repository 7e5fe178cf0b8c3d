"""Every console action over real HTTP, the bulk path, undo, the views,
two moderators racing, replies, and the audit lines they leave."""

from __future__ import annotations

import html
import threading

from comment_service.console import texts
from comment_service.console.views import french_datetime
from comment_testlib import THREAD
from consolelib import audit, state_of

OTHER = "fil-001"  # not in the manifest: shown by its id


def actions_of(store_root, comment_id):
    return [e["action"] for e in audit(store_root) if e.get("comment_id") == comment_id]


def test_the_queue_shows_each_comment_escaped_oldest_first(console_server, store, alice):
    first = store.add(THREAD, "Zoé <b>‮RTL", "zoe@example.org", "Premier <script>alert(1)</script>\nligne 2",
                      signals=["lien"])
    second = store.add(THREAD, "Marc", "", "Second")
    page = alice.get("/")
    body = page.body
    assert body.index(first.id) < body.index(second.id)
    assert "<bdi>Zoé &lt;b&gt;\u202eRTL</bdi>" in body
    assert "Premier &lt;script&gt;alert(1)&lt;/script&gt;\nligne 2" in body
    assert "zoe@example.org" in body and "Contient un lien" in body
    assert 'href="http://127.0.0.1:8000/2014/06/12/inventer-les-services-publics-de-demain/"' in body
    assert "Inventer les services publics de demain" in body
    assert f'<time datetime="{first.created.isoformat()}">{french_datetime(first.created)}</time>' in body


def test_approve_reject_with_reason_delete_one_by_one(console_server, store, alice):
    a, r, d = (store.add(THREAD, n, "", f"texte {n}") for n in ("Ana", "Rémi", "Dora"))
    alice.get("/")
    page = alice.post("/actions", {"vue": "pending", "un": f"approve:{a.id}"})
    assert page.status == 303
    shown = alice.follow(page).body
    assert "1 commentaire(s) publié(s)." in shown and texts.PUBLICATION["release"] in shown
    page = alice.post("/actions", {"vue": "pending", "un": f"reject:{r.id}", f"motif-{r.id}": "publicite"})
    assert page.status == 303
    alice.follow(page)
    assert store.get(r.id).reason == "publicite" and store.get(r.id).moderated_at
    page = alice.post("/actions", {"vue": "pending", "un": f"delete:{d.id}"})
    assert page.status == 200 and texts.CONFIRM in html.unescape(page.body)  # asks first
    assert state_of(console_server.store, d.id) == ["pending"]
    page = alice.post("/actions", [("vue", "pending"), ("action", "delete"), ("confirmer", "oui"), ("id", d.id)])
    assert page.status == 303
    assert state_of(console_server.store, a.id) == ["approved"]
    assert state_of(console_server.store, r.id) == ["rejected"]
    assert state_of(console_server.store, d.id) == []
    assert actions_of(console_server.store, a.id) == ["approve"]
    assert actions_of(console_server.store, d.id) == ["delete"]
    reject = [e for e in audit(console_server.store) if e.get("comment_id") == r.id][0]
    assert (reject["actor"], reject["reason"], reject["previous"], reject["thread"]) == (
        "alice", "publicite", "pending", THREAD)
    refused = alice.get("/refuses").body
    assert "Publicité, liens commerciaux ou messages répétés" in refused


def test_a_bad_reason_is_refused_and_nothing_moves(console_server, store, alice):
    c = store.add(THREAD, "Ana", "", "texte")
    alice.get("/")
    page = alice.post("/actions", {"vue": "pending", "un": f"reject:{c.id}", f"motif-{c.id}": "je-n-aime-pas"})
    assert texts.BAD_REASON in html.unescape(alice.follow(page).body)
    assert state_of(console_server.store, c.id) == ["pending"]


def test_bulk_approve_and_bulk_reject(console_server, store, alice):
    many = [store.add(THREAD, f"Lot {i}", "", f"texte {i}") for i in range(4)]
    alice.get("/")
    fields = [("vue", "pending"), ("action", "approve")] + [("id", c.id) for c in many[:3]]
    page = alice.post("/actions", fields)
    assert "3 commentaire(s) publié(s)." in alice.follow(page).body
    assert [state_of(console_server.store, c.id) for c in many] == [["approved"]] * 3 + [["pending"]]
    fields = [("vue", "approved"), ("action", "reject"), ("motif", "hors-sujet")] + [("id", c.id) for c in many[:2]]
    alice.post("/actions", fields)
    assert [store.get(c.id).reason for c in many[:2]] == ["hors-sujet", "hors-sujet"]
    page = alice.follow(alice.post("/actions", [("vue", "pending"), ("action", "approve")]))
    assert texts.NOTHING_SELECTED in html.unescape(page.body)


def test_undo_unpublishes_and_restore_puts_back_in_the_queue(console_server, store, alice):
    c = store.add(THREAD, "Ana", "", "texte")
    store.move(c.id, "approved")
    alice.get("/publies")
    page = alice.post("/actions", {"vue": "approved", "un": f"unpublish:{c.id}"})
    assert "dépublié" in alice.follow(page).body
    assert state_of(console_server.store, c.id) == ["pending"]
    store.move(c.id, "rejected", reason="forme")
    alice.get("/refuses")
    alice.post("/actions", {"vue": "rejected", "un": f"restore:{c.id}"})
    assert state_of(console_server.store, c.id) == ["pending"] and store.get(c.id).reason is None
    assert actions_of(console_server.store, c.id)[-2:] == ["unpublish", "restore"]


def test_filter_search_and_pages(console_server, store, alice):
    for i in range(25):
        store.add(THREAD, f"Page{i:02d}", "", f"mot-{i:02d} commun")
    store.add(OTHER, "Ailleurs", "", "commun aussi")
    page = alice.get("/?q=MOT-07")
    assert "Page07" in page.body and "Page08" not in page.body
    page = alice.get("/?q=ailleurs")
    assert "commun aussi" in page.body and "1 commentaire(s)" in page.body
    page = alice.get(f"/?fil={OTHER}")
    assert "Ailleurs" in page.body and "Page00" not in page.body
    first = alice.get("/?q=commun")
    assert "Page 1 sur 2" in first.body and 'rel="next"' in first.body
    second = alice.get("/?q=commun&page=2")
    assert "Page 2 sur 2" in second.body and 'rel="prev"' in second.body


def test_two_moderators_acting_on_one_comment_get_a_clear_message(console_server, store, alice, bob):
    c = store.add(THREAD, "Ana", "", "texte")
    alice.get("/")
    bob.get("/")
    alice.post("/actions", {"vue": "pending", "un": f"approve:{c.id}"})
    page = bob.post("/actions", {"vue": "pending", "un": f"reject:{c.id}", f"motif-{c.id}": "forme"})
    shown = html.unescape(bob.follow(page).body)
    assert "Un autre modérateur a agi sur ce commentaire avant vous" in shown and "publié" in shown
    assert state_of(console_server.store, c.id) == ["approved"]
    assert actions_of(console_server.store, c.id) == ["approve"]


def test_two_moderators_racing_never_leave_a_comment_in_two_states(console_server, store, alice, bob):
    targets = [store.add(THREAD, f"Course {i}", "", "texte") for i in range(6)]
    alice.get("/")
    bob.get("/")
    barrier = threading.Barrier(2)

    def run(browser, action, extra):
        for c in targets:
            barrier.wait()
            browser.post("/actions", {"vue": "pending", "un": f"{action}:{c.id}", **extra(c)})

    t1 = threading.Thread(target=run, args=(alice, "approve", lambda c: {}))
    t2 = threading.Thread(target=run, args=(bob, "reject", lambda c: {f"motif-{c.id}": "forme"}))
    t1.start(), t2.start()
    t1.join(60), t2.join(60)
    for c in targets:
        states = state_of(console_server.store, c.id)
        assert len(states) == 1, states
        done = actions_of(console_server.store, c.id)
        assert len(done) == 1 and {"approve": "approved", "reject": "rejected"}[done[0]] == states[0]


def test_reply_write_edit_remove(console_server, store, alice):
    c = store.add(THREAD, "Ana", "", "Quand rouvre la route ?")
    store.move(c.id, "approved")
    form = alice.get(f"/reponse/{c.id}")
    assert form.status == 200 and "Quand rouvre la route ?" in form.body
    page = alice.post(f"/reponse/{c.id}", {"service": "", "texte": "  "})
    assert page.status == 400 and texts.REPLY_MISSING_TEXT in html.unescape(page.body)
    page = alice.post(f"/reponse/{c.id}", {"service": "Direction des routes", "texte": "Le 3 <b>décembre</b>."})
    assert page.status == 303
    shown = alice.follow(page).body
    assert "Réponse enregistrée." in shown and "Le 3 &lt;b&gt;décembre&lt;/b&gt;." in shown
    reply = store.reply_for(c.id)
    assert (reply.service, reply.text, reply.author) == ("Direction des routes", "Le 3 <b>décembre</b>.", "alice")
    alice.get(f"/reponse/{c.id}")
    alice.post(f"/reponse/{c.id}", {"service": "Direction des routes", "texte": "Le 4 décembre."})
    assert store.reply_for(c.id).text == "Le 4 décembre."
    alice.get(f"/reponse/{c.id}")
    alice.post(f"/reponse/{c.id}", {"action": "retirer"})
    assert store.reply_for(c.id) is None
    assert actions_of(console_server.store, c.id) == ["reply", "reply-edit", "reply-remove"]


def test_cli_moderation_writes_the_same_audit_log(console_server, store):
    from consolelib import cli

    c = store.add(THREAD, "Ana", "", "texte")
    result = cli(console_server.store, "reject", c.id, "--reason", "forme")
    assert result.returncode == 0, result.stderr
    entry = audit(console_server.store)[-1]
    assert entry["actor"].startswith("cli:") and entry["action"] == "reject" and entry["reason"] == "forme"
    printed = cli(console_server.store, "audit", "--limit", "1")
    assert printed.returncode == 0 and c.id in printed.stdout and "reject" in printed.stdout


def test_an_action_the_view_does_not_offer_is_refused(console_server, store, alice):
    c = store.add(THREAD, "Ana", "", "texte")
    alice.get("/")
    page = alice.follow(alice.post("/actions", {"vue": "pending", "un": f"unpublish:{c.id}"}))
    assert texts.NOT_HERE in html.unescape(page.body)
    assert state_of(console_server.store, c.id) == ["pending"]
