"""Submission ids (a resubmission returns the first answer and stores nothing)
and rate-limit reservations (only stored comments use up the limit), at WSGI level."""

from __future__ import annotations

import errno
import os
import re

import pytest

from comment_service.rules import messages as msg
from comment_service.config import RateLimit
from comment_service.guard.sqlite import RESERVATION_LEASE, SUBMISSION_TTL, Guard

from comment_testlib import SITE, THREAD, THREAD_URL, stored_files, write_manifest

SID = "k2F9_x-7Qe4mN8pLw3Zr"  # 20 characters of [A-Za-z0-9_-]
OTHER = "autre-fil"


def test_json_repeat_returns_the_first_answer_and_stores_nothing(client, config):
    data = client.fields(submission_id=SID)
    first = client.post_json(data=data)
    assert first.status == 202
    for _ in range(3):  # the captcha is spent: only the submission id can answer this
        again = client.post_json(data=data)
        assert again.status == 202 and again.json == first.json
    assert len(stored_files(config.store)) == 1


def test_form_repeat_returns_the_first_redirect(client, config):
    data = client.fields(submission_id=SID)
    first = client.post_form(data=data)
    assert first.status == 303
    again = client.post_form(data=data)
    assert again.status == 303 and again.headers["location"] == first.headers["location"]
    assert again.headers["location"] == SITE + THREAD_URL + "#commentaire-envoye"
    # The same submission sent again by the page's script: the first comment's id.
    as_json = client.post_json(data=data)
    stored = stored_files(config.store)
    assert as_json.status == 202 and len(stored) == 1 and as_json.json["id"] == stored[0].stem


def test_repeat_with_other_fields_still_answers_the_first(client, config):
    data = client.fields(submission_id=SID)
    first = client.post_json(data=data)
    again = client.post_json(data=dict(data, text="Autre texte", captcha_answer="faux", website="x"))
    assert again.status == 202 and again.json["id"] == first.json["id"]
    assert len(stored_files(config.store)) == 1


def test_ids_are_per_thread(client, config):
    write_manifest(config.threads_file, {OTHER: {"url": "/autre/", "title": "Autre", "open": True}})
    first = client.post_json(data=client.fields(submission_id=SID))
    other = client.post_json(OTHER, data=client.fields(submission_id=SID))
    assert first.status == other.status == 202 and first.json["id"] != other.json["id"]
    assert len(stored_files(config.store)) == 2


def test_without_an_id_a_repeat_is_refused_as_before(client, config):
    data = client.fields()
    assert client.post_json(data=data).status == 202
    resp = client.post_json(data=data)
    assert resp.status == 400 and resp.json["errors"]["captcha_answer"] == msg.CAPTCHA_USED
    assert len(stored_files(config.store)) == 1


def test_a_refused_submission_is_not_remembered(client, config):
    data = client.fields(submission_id=SID, captcha_answer="faux!")
    assert client.post_json(data=data).status == 400
    fixed = client.fields(submission_id=SID)  # solved again, same form
    assert client.post_json(data=fixed).status == 202
    assert len(stored_files(config.store)) == 1


def test_a_store_failure_is_not_remembered(client, config, monkeypatch):
    data = client.fields(submission_id=SID)

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    assert client.post_json(data=data).status == 503
    monkeypatch.undo()
    assert client.post_json(data=client.fields(submission_id=SID)).status == 202
    assert len(stored_files(config.store)) == 1


def test_remembered_for_a_day(client, config, clock):
    data = client.fields(submission_id=SID)
    assert client.post_json(data=data).status == 202
    clock.advance(SUBMISSION_TTL - 60)
    assert client.post_json(data=data).status == 202
    clock.advance(120)
    resp = client.post_json(data=data)  # forgotten: an ordinary post with an expired captcha
    assert resp.status == 400 and "captcha_answer" in resp.json["errors"]
    assert len(stored_files(config.store)) == 1


@pytest.mark.parametrize("sid", ["court", "a" * 15, "a" * 65, "é" * 20, "a b" * 8, "abc/def/ghi/jkl/mno",
                                 "a" * 20 + "\n" + "a", "<script>aaaaaaaaaaa"])
def test_invalid_id_is_a_field_error(client, config, sid):
    resp = client.post_json(data=client.fields(submission_id=sid))
    assert resp.status == 400 and resp.json["errors"] == {"submission_id": msg.SUBMISSION_ID_INVALID}
    assert stored_files(config.store) == []


@pytest.mark.parametrize("sid", ["a" * 16, "Z" * 64, "0123456789abcdef-_AZ"])
def test_valid_ids(client, sid):
    assert client.post_json(data=client.fields(submission_id=sid)).status == 202


def page_id(page: str) -> str:
    """The submission id the form page carries."""
    tag = re.search(r'<input[^>]*name="submission_id"[^>]*>', page).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def test_form_page_keeps_a_valid_id_and_replaces_an_invalid_one(client):
    page = client.post_form(data={"name": "a", "text": "b", "submission_id": SID}).text
    assert page_id(page) == SID
    for sent in ({"name": "a", "text": "b"}, {"name": "a", "text": "b", "submission_id": "court"}):
        assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", page_id(client.post_form(data=sent).text))
    ids = {page_id(client.post_form(data={"name": "a", "text": "b"}).text) for _ in range(2)}
    assert len(ids) == 2  # fresh and random


def test_the_form_pages_id_makes_its_resubmission_safe(client, config):
    """The no-JavaScript path: the page's id travels with the second post, and a repeat of it."""
    page = client.post_form(data={"name": "Léa", "text": "Mon avis"}).text
    data = client.fields(name="Léa", text="Mon avis", submission_id=page_id(page))
    first = client.post_form(data=data)
    assert first.status == 303 and client.post_form(data=data).status == 303
    assert len(stored_files(config.store)) == 1


def test_replay_does_not_use_up_the_rate_limit(make_client):
    client = make_client(rate_limit=RateLimit(1, 600))
    data = client.fields(submission_id=SID)
    assert client.post_json(data=data).status == 202
    assert client.post_json(data=data).status == 202
    assert client.post_json(data=client.fields()).status == 429


# --- rate-limit reservations ----------------------------------------------------------

def test_only_stored_comments_use_up_the_limit(make_client, monkeypatch):
    client = make_client(rate_limit=RateLimit(1, 600))

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    for _ in range(3):
        assert client.post_json(data=client.fields()).status == 503
    monkeypatch.undo()
    assert client.post_json(data=client.fields()).status == 202
    assert client.post_json(data=client.fields()).status == 429


def test_a_killed_request_stops_counting_after_its_lease(make_client, clock, monkeypatch):
    """A worker killed while storing never confirms its reservation: it lapses by itself."""
    client = make_client(rate_limit=RateLimit(1, 3600))
    from comment_service.store import CommentStore

    class Killed(BaseException):
        pass

    def killed(*args, **kwargs):
        raise Killed  # as if SIGKILL or a timeout stopped the request here

    monkeypatch.setattr(CommentStore, "add", killed)
    with pytest.raises(Killed):
        client.post_json(data=client.fields(), validate=False)
    monkeypatch.undo()
    resp = client.post_json(data=client.fields())
    assert resp.status == 429  # the reservation still counts while its lease runs
    clock.advance(RESERVATION_LEASE + 1)
    assert client.post_json(data=client.fields()).status == 202


def test_guard_reservation_lease(tmp_path):
    guard = Guard(tmp_path / "guard.sqlite3")
    limit = RateLimit(2, 600)
    t = 1_800_000_000.0
    first = guard.reserve("comment", "ip", limit, t, lease=30)
    second = guard.reserve("comment", "ip", limit, t + 1, lease=30)
    assert first.allowed and second.allowed
    assert not guard.reserve("comment", "ip", limit, t + 2, lease=30).allowed
    guard.confirm(first.rowid)
    # The unconfirmed one lapses after its lease; the confirmed one stays for the window.
    assert not guard.reserve("comment", "ip", limit, t + 30, lease=30).allowed
    third = guard.reserve("comment", "ip", limit, t + 31.5, lease=30)
    assert third.allowed
    guard.release(third.rowid)
    assert guard.reserve("comment", "ip", limit, t + 32, lease=30).allowed
    assert not guard.reserve("comment", "ip", limit, t + 33, lease=30).allowed


def test_guard_upgrades_an_old_database(tmp_path):
    import sqlite3

    path = tmp_path / "guard.sqlite3"
    with sqlite3.connect(path) as conn:  # the schema before reservations
        conn.execute("CREATE TABLE hits (bucket TEXT NOT NULL, client TEXT NOT NULL, ts REAL NOT NULL)")
        conn.execute("INSERT INTO hits VALUES ('comment', 'ip', 100.0)")
    guard = Guard(path)
    assert not guard.reserve("comment", "ip", RateLimit(1, 600), 200.0).allowed
    assert guard.reserve("comment", "ip", RateLimit(2, 600), 200.0).allowed
