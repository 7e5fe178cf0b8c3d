"""Personal data: purge (retention), export (access) and erase (erasure).

Over a store with comments in every state, replies, an audit log and a guard
database; the commands run as the operator runs them (``python -m
comment_service personal-data ...`` in a subprocess) or through their
functions with a fixed clock. Erasure is checked down to the rebuilt pages
(a real Pelican build).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from comment_service.ops.audit import AuditLog
from comment_service.config import RateLimit, Shared
from comment_service.guard.sqlite import Guard
from comment_service.ops.personal_data import purge
from comment_service.store import CommentStore

ROOT = Path(__file__).resolve().parents[2]
THREAD = "inventer-les-services-publics-de-demain"
PAGE = f"/2014/06/12/{THREAD}/"
OTHER = "budget-2014-priorites"
ZOE = "zoe.martin@example.org"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
OLD = NOW - timedelta(days=200)  # moderated long ago
RECENT = NOW - timedelta(days=10)


@pytest.fixture
def store(tmp_path) -> CommentStore:
    """Comments in every state; Zoé's in all of them (her address in varying case)."""
    store = CommentStore(tmp_path / "store")
    ids = {}

    def add(key, thread, name, email, text, state, moderated_at=None):
        c = store.add(thread, name, email, text, now=(moderated_at or NOW) - timedelta(days=1))
        if state != "pending":
            store.move(c.id, state, now=moderated_at)
        ids[key] = c.id

    add("zoe_old_approved", THREAD, "Zoé", ZOE, "Zoé publiée il y a longtemps", "approved", OLD)
    add("zoe_recent_approved", THREAD, "Zoé", ZOE.upper(), "Zoé publiée récemment", "approved", RECENT)
    add("zoe_pending", OTHER, "Zoé M.", ZOE, "Zoé en attente", "pending")
    add("zoe_old_rejected", THREAD, "Zoé", ZOE, "Zoé refusée il y a longtemps", "rejected", OLD)
    add("zoe_recent_rejected", OTHER, "Zoé", ZOE, "Zoé refusée récemment", "rejected", RECENT)
    add("paul_old_approved", THREAD, "Paul", "paul@example.org", "Paul publié il y a longtemps", "approved", OLD)
    add("paul_pending", THREAD, "Paul", "paul@example.org", "Paul en attente", "pending")
    add("anonymous_approved", THREAD, "Sans adresse", "", "Un texte sans adresse", "approved", OLD)
    store.set_reply(ids["zoe_old_approved"], "Direction des routes", "Merci Zoé.", "alice")
    store.set_reply(ids["zoe_old_rejected"], "Direction des routes", "Réponse à un refusé.", "alice")
    store.set_reply(ids["paul_old_approved"], "Direction des routes", "Merci Paul.", "alice")
    audit = AuditLog(store.root)
    audit.append("alice", "approve", comment_id=ids["zoe_old_approved"], source="console 192.0.2.10",
                 now=OLD, note=f"répondu à {ZOE}")
    audit.append("alice", "approve", comment_id=ids["paul_old_approved"], source="console 192.0.2.10", now=OLD)
    audit.append("bob", "login", source="console 192.0.2.11", now=NOW - timedelta(days=400))
    Guard(store.root / "guard.sqlite3").hit("comment", "203.0.113.5", RateLimit(5, 600), NOW.timestamp() - 3600)
    store.ids = ids
    return store


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the store and a hash of its bytes (but the lock and SQLite's
    shared-memory index, which hold no data)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".moderation.lock" and not p.name.endswith("-shm")}


def all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def cli(store: CommentStore, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "comment_service", "personal-data", *args,
                           "--store", str(store.root)], capture_output=True, text=True, env=environ,
                          cwd=ROOT, timeout=60)


# --- purge -------------------------------------------------------------------------

def test_purge_applies_retention_and_touches_nothing_else(store):
    ids = store.ids
    before = snapshot(store.root)
    report = purge(store, Shared(), NOW)
    assert sorted(report.emails_removed) == sorted([ids["zoe_old_approved"], ids["paul_old_approved"]])
    assert report.rejected_deleted == [ids["zoe_old_rejected"]]
    assert report.audit_entries_dropped == 1  # bob's login, older than a year
    assert report.guard_hits_pruned == 1  # the hit's window ended long ago
    # No e-mail older than the retention anywhere in the store.
    cutoff = NOW - timedelta(days=Shared().email_retention_days)
    for comment in store.list(None):
        if comment.status != "pending" and (comment.moderated or comment.created) <= cutoff:
            assert comment.email == ""
    # Published texts stay, without the address; the rejected one is gone with its reply.
    assert store.get(ids["zoe_old_approved"]).text == "Zoé publiée il y a longtemps"
    assert store.reply_for(ids["zoe_old_approved"]) is not None
    assert store.reply_for(ids["zoe_old_rejected"]) is None
    after = snapshot(store.root)
    changed = {name for name in before if before[name] != after.get(name)}
    expected = {f"approved/{THREAD}/{ids['zoe_old_approved']}.json",
                f"approved/{THREAD}/{ids['paul_old_approved']}.json",
                f"rejected/{THREAD}/{ids['zoe_old_rejected']}.json",
                f"replies/{THREAD}/{ids['zoe_old_rejected']}.json", "audit.jsonl"}
    assert changed - {"guard.sqlite3", "guard.sqlite3-wal"} == expected
    assert set(after) - set(before) <= {"guard.sqlite3-wal"}  # no new file
    # Idempotent: a second run changes nothing at all.
    again = purge(store, Shared(), NOW)
    assert (again.emails_removed, again.rejected_deleted, again.audit_entries_dropped) == ([], [], 0)
    assert snapshot(store.root) == after


def test_purge_command_with_settings_records_the_run(store):
    # Retention 0: every moderated comment loses its address now; rejected ones go.
    done = cli(store, "purge", env={"COMMENTS_EMAIL_RETENTION_DAYS": "0", "COMMENTS_REJECTED_RETENTION_DAYS": "0"})
    assert done.returncode == 0, done.stderr
    assert "e-mail addresses removed: 3" in done.stdout  # Zoé's two approved ones and Paul's
    assert store.list("rejected") == []
    assert {c.email for c in store.list("approved")} == {""}
    assert {c.email for c in store.list("pending")} == {ZOE, "paul@example.org"}  # not moderated yet
    record = list(AuditLog(store.root).entries())[-1]
    assert record["action"] == "personal-data-purge" and record["actor"].startswith("cli:")
    assert "@" not in json.dumps(record)
    bad = cli(store, "purge", env={"COMMENTS_EMAIL_RETENTION_DAYS": "trois mois"})
    assert bad.returncode == 2 and "COMMENTS_EMAIL_RETENTION_DAYS" in bad.stderr and "Traceback" not in bad.stderr


# --- export ------------------------------------------------------------------------

def test_export_returns_every_item_for_the_address_and_nothing_else(store):
    ids = store.ids
    done = cli(store, "export", "--email", "Zoe.Martin@Example.org")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    zoe = {k for k in ids if k.startswith("zoe")}
    assert {c["id"] for c in data["commentaires"]} == {ids[k] for k in zoe}
    assert {c["status"] for c in data["commentaires"]} == {"pending", "approved", "rejected"}
    assert {r["comment_id"] for r in data["reponses"]} == {ids["zoe_old_approved"], ids["zoe_old_rejected"]}
    assert [e["comment_id"] for e in data["journal_de_moderation"]] == [ids["zoe_old_approved"]]
    for foreign in ("paul@example.org", "Paul", "Sans adresse", "Merci Paul", "bob"):
        assert foreign not in done.stdout
    record = list(AuditLog(store.root).entries())[-1]
    assert record["action"] == "personal-data-export" and ZOE not in json.dumps(record).lower()


def test_export_by_id_and_bad_requests(store):
    done = cli(store, "export", "--id", store.ids["anonymous_approved"])
    assert done.returncode == 0
    assert [c["text"] for c in json.loads(done.stdout)["commentaires"]] == ["Un texte sans adresse"]
    assert cli(store, "export", "--id", "20260101T000000000000Z-000000000000").returncode == 1
    assert cli(store, "export", "--id", "../../etc/passwd").returncode == 1
    bad = cli(store, "export", "--email", "pas une adresse")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert cli(store, "export").returncode == 2  # --email or --id is required


# --- erase -------------------------------------------------------------------------

def test_erase_removes_the_address_everywhere_and_the_pages_follow(store, build_site):
    before = build_site(COMMENTS_STORE=str(store.root), SEARCH_INDEX=False)
    assert "Zoé publiée il y a longtemps" in before.html(PAGE)
    done = cli(store, "erase", "--email", ZOE)
    assert done.returncode == 0, done.stderr
    assert "5 comment(s) deleted" in done.stdout and THREAD in done.stdout
    raw = all_bytes(store.root).lower()
    assert ZOE.encode() not in raw and "zoé".encode() not in raw
    assert {c.name for c in store.list(None)} == {"Paul", "Sans adresse"}
    assert store.reply_for(store.ids["paul_old_approved"]) is not None
    entries = list(AuditLog(store.root).entries())
    assert [e["action"] for e in entries[:3]] == ["approve", "approve", "login"]  # the actions stay
    assert entries[0]["note"] == "[effacé]" and entries[0]["comment_id"] == store.ids["zoe_old_approved"]
    assert entries[-1]["action"] == "personal-data-erase" and len(entries[-1]["comment_ids"]) == 5
    after = build_site(COMMENTS_STORE=str(store.root), SEARCH_INDEX=False)
    page = after.html(PAGE)
    assert "Zoé" not in page and "Paul publié il y a longtemps" in page
    opendata = (after.output / "donnees" / "commentaires.csv").read_text(encoding="utf-8")
    assert "Zoé" not in opendata and "Paul" in opendata


def test_erase_anonymise_keeps_the_text_without_the_person(store):
    done = cli(store, "erase", "--email", ZOE, "--anonymise")
    assert done.returncode == 0, done.stderr
    kept = store.get(store.ids["zoe_old_approved"])
    assert (kept.name, kept.email, kept.text) == ("Anonyme", "", "Zoé publiée il y a longtemps")
    assert ZOE.encode() not in all_bytes(store.root).lower()
    assert len(store.list(None)) == 8  # nothing deleted


def test_erase_by_id_for_a_commenter_without_address(store):
    target = store.ids["anonymous_approved"]
    done = cli(store, "erase", "--id", target)
    assert done.returncode == 0, done.stderr
    assert target not in {c.id for c in store.list(None)}
    assert len(store.list(None)) == 7
    assert b"Sans adresse" not in all_bytes(store.root)
    assert cli(store, "erase", "--id", target).returncode == 1  # already gone


def test_audit_lines_appended_during_a_rewrite_are_kept(store):
    """The console may append while erase rewrites the log: the append waits for
    the rewrite's rename (audit.lock) and lands in the new file."""
    import threading

    from comment_service.ops.personal_data import rewrite_audit

    audit = AuditLog(store.root)
    appender = threading.Thread(target=lambda: audit.append("carol", "approve", source="console 192.0.2.9"))

    def transform(entry):
        if not appender.is_alive() and appender.ident is None:  # another writer appends meanwhile
            appender.start()
            appender.join(0.3)
            assert appender.is_alive()  # it waits for the rewrite
        return {**entry, "source": "[effacé]"} if ZOE in str(entry.get("source")) else entry

    audit.append("bob", "reject", source=f"console {ZOE}")
    first = [e["action"] for e in audit.entries()]
    assert rewrite_audit(store, transform) == 1
    appender.join(10)
    entries = list(audit.entries())
    assert [e["action"] for e in entries] == first + ["approve"]
    assert entries[-1]["actor"] == "carol" and entries[-1]["source"] == "console 192.0.2.9"
    assert entries[-2]["actor"] == "bob" and entries[-2]["source"] == "[effacé]"
