"""Erasure and retention of accessibility requests, through the real command
line (``personal-data erase``, ``purge``): the requester's data leave the
request files and the audit log; the dates stay (the monthly counts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from comment_service.accessibility.records import FOLDER, Requests
from comment_service.ops.audit import AuditLog
from comment_testlib import ROOT

NOW = datetime.now(timezone.utc)


def cli(root, *args, env=None):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "comment_service", "personal-data", *args, "--store", str(root)],
                          capture_output=True, text=True, env=environ, cwd=ROOT, timeout=60)


def everything(root) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(root.rglob("*")) if p.is_file()
                     and p.suffix in (".json", ".jsonl"))


def make(tmp_path):
    root = tmp_path / "store"
    requests = Requests(root)
    lea = requests.add("Léa Secrète", "Lea.Secret@example.org", "https://exemple.fr/page-privee",
                       "Ma description très personnelle.", now=NOW - timedelta(days=3))
    requests.set_answer(lea.id, "Réponse à Léa Secrète.", "alice", now=NOW - timedelta(days=2))
    AuditLog(root).append("alice", "accessibility-answer", source="console", request_id=lea.id,
                          requester=lea.name, email=lea.email, page=lea.page, request=lea.text,
                          answer="Réponse à Léa Secrète.")
    paul = requests.add("Paul Autre", "paul@example.org", "", "Autre demande.", now=NOW - timedelta(days=200))
    requests.set_answer(paul.id, "Réponse à Paul.", "bob", now=NOW - timedelta(days=199))
    return root, requests, lea, paul


def test_erase_removes_a_requesters_data_everywhere(tmp_path):
    root, requests, lea, paul = make(tmp_path)
    exported = cli(root, "export", "--email", "lea.secret@example.org")
    assert exported.returncode == 0, exported.stderr
    assert [r["id"] for r in json.loads(exported.stdout)["demandes_accessibilite"]] == [lea.id]
    done = cli(root, "erase", "--email", "LEA.SECRET@example.org")
    assert done.returncode == 0, done.stderr
    assert "1 accessibility request(s) erased" in done.stdout
    text = everything(root)
    for secret in ("Léa Secrète", "Lea.Secret@example.org", "page-privee", "très personnelle", "Réponse à Léa"):
        assert secret not in text, secret
    kept = requests.get(lea.id)
    assert kept.redacted and kept.received_at == lea.received_at and kept.answered is not None
    assert requests.get(paul.id).name == "Paul Autre"  # another requester is untouched
    assert (root / FOLDER / f"{lea.id}.json").exists()


def test_purge_redacts_requests_answered_before_the_retention(tmp_path):
    root, requests, lea, paul = make(tmp_path)
    done = cli(root, "purge", env={"COMMENTS_EMAIL_RETENTION_DAYS": "90"})
    assert done.returncode == 0, done.stderr
    assert "accessibility requests redacted: 1" in done.stdout
    assert requests.get(paul.id).redacted and requests.get(paul.id).email == ""
    assert requests.get(lea.id).email == "Lea.Secret@example.org"  # answered 2 days ago: kept
    again = cli(root, "purge", env={"COMMENTS_EMAIL_RETENTION_DAYS": "90"})
    assert "accessibility requests redacted: 0" in again.stdout


def test_an_open_request_keeps_its_data_until_answered(tmp_path):
    root = tmp_path / "store"
    request = Requests(root).add("Ana", "ana@example.org", "", "Texte.", now=NOW - timedelta(days=400))
    assert cli(root, "purge", env={"COMMENTS_EMAIL_RETENTION_DAYS": "0"}).returncode == 0
    assert Requests(root).get(request.id).email == "ana@example.org"
