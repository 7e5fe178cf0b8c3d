"""GitLab's signed webhooks (Standard Webhooks, publisher/git/standard.py):
good and bad signatures, a timestamp out of the 5-minute window, a replayed
webhook-id; over real HTTP (gunicorn on 127.0.0.1) and at WSGI level. The
clock is SCHEDULE_NOW's."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

from gitlib import git_env, run
from publisher.git.standard import BAD, OK, REPLAY, STALE, Signed, parse_token, sign
from publisher.git.webhook import Webhook, create_app
from support import ROOT
from test_webhook import free_port, post, wait_for

pytestmark = pytest.mark.timeout(300)
KEY = bytes(range(32))
TOKEN = "whsec_" + base64.b64encode(KEY).decode()
NOW = 1_790_000_000  # a fixed "now" for the unit tests
MAIN = json.dumps({"ref": "refs/heads/main"}).encode()
OTHER = json.dumps({"ref": "refs/heads/travail"}).encode()


def headers(body: bytes, webhook_id: str, timestamp: int, key: bytes = KEY) -> dict:
    return {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(key, webhook_id, str(timestamp), body)}


def environ(hdrs: dict, body: bytes) -> dict:
    env = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(body)),
           "wsgi.input": io.BytesIO(body)}
    env.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in hdrs.items()})
    return env


def test_the_signature_matches_the_specifications_example():
    """The Standard Webhooks specification's own example (secret, id, timestamp, body)."""
    key = parse_token("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    body = b'{"test": 2432232314}'
    assert sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", body) == \
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.parametrize("token", ["", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_pas du base64",
                                   "whsec_" + base64.b64encode(b"court").decode()])
def test_a_malformed_token_is_refused_in_french(token):
    with pytest.raises(ValueError, match="jeton de signature"):
        parse_token(token)


def test_good_bad_stale_and_replayed():
    signed = Signed(TOKEN, clock=lambda: NOW)
    good = headers(MAIN, "msg_1", NOW)
    assert signed.check(environ(good, MAIN), MAIN) == OK
    assert signed.check(environ(good, MAIN), MAIN) == REPLAY  # the same webhook-id again
    assert signed.check(environ(headers(MAIN, "msg_2", NOW, b"x" * 32), MAIN), MAIN) == BAD
    assert signed.check(environ(headers(MAIN, "msg_3", NOW), OTHER), OTHER) == BAD  # other body
    assert signed.check(environ(headers(MAIN, "msg_4", NOW - 301), MAIN), MAIN) == STALE
    assert signed.check(environ(headers(MAIN, "msg_5", NOW + 301), MAIN), MAIN) == STALE
    assert signed.check(environ(headers(MAIN, "msg_6", NOW - 299), MAIN), MAIN) == OK
    # A list of signatures (a rotated token): one that matches is enough.
    several = headers(MAIN, "msg_7", NOW)
    several["webhook-signature"] = "v1,AAAA v2,bm9wZQ== " + several["webhook-signature"]
    assert signed.check(environ(several, MAIN), MAIN) == OK
    # A stale request's id is not remembered: only accepted ones are.
    assert signed.check(environ(headers(MAIN, "msg_4", NOW), MAIN), MAIN) == OK


def test_an_id_is_forgotten_once_its_window_is_over():
    now = [NOW]
    signed = Signed(TOKEN, clock=lambda: now[0])
    assert signed.check(environ(headers(MAIN, "msg_1", NOW), MAIN), MAIN) == OK
    now[0] = NOW + 301
    assert signed.check(environ(headers(MAIN, "msg_1", NOW), MAIN), MAIN) == STALE
    assert signed.check(environ(headers(MAIN, "msg_1", NOW + 301), MAIN), MAIN) == OK
    assert set(signed.seen) == {"msg_1"}


@given(st.binary(max_size=300), st.text(alphabet="abcdefghij_0123456789", min_size=1,
                                        max_size=30), st.integers(-300, 300))
def test_a_signature_holds_for_its_id_timestamp_and_body_only(body, webhook_id, shift):
    signed = Signed(TOKEN, clock=lambda: NOW)
    hdrs = headers(body, webhook_id, NOW + shift)
    assert signed.signature_ok(webhook_id, str(NOW + shift), hdrs["webhook-signature"], body)
    assert not signed.signature_ok(webhook_id + "x", str(NOW + shift),
                                   hdrs["webhook-signature"], body)
    assert not signed.signature_ok(webhook_id, str(NOW + shift + 1),
                                   hdrs["webhook-signature"], body)
    assert not signed.signature_ok(webhook_id, str(NOW + shift), hdrs["webhook-signature"],
                                   body + b"!")


@pytest.fixture()
def checkout(tmp_path):
    """A publisher's checkout of a forge repository (one commit, already fetched)."""
    env = git_env(tmp_path)
    remote, repo, checkout = tmp_path / "forge.git", tmp_path / "editor", tmp_path / "checkout"
    run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], tmp_path, env)
    run(["git", "clone", "-q", str(remote), str(repo)], tmp_path, env)
    run(["git", "checkout", "-q", "-B", "main"], repo, env)
    (repo / "README").write_text("dépôt\n")
    run(["git", "add", "-A"], repo, env)
    run(["git", "commit", "-q", "-m", "Début"], repo, env)
    run(["git", "push", "-q", "origin", "main"], repo, env)
    run([sys.executable, "-m", "publisher.git", "forge", str(checkout), "--remote", str(remote),
         "--root", str(tmp_path / "site")], ROOT, env)
    return checkout, env


def test_create_app_takes_a_signing_token_alone(checkout):
    path, _env = checkout
    app = create_app({"WEBHOOK_SIGNING_TOKEN": TOKEN, "WEBHOOK_CHECKOUT": str(path)})
    assert app.signed is not None
    for env in ({"WEBHOOK_SIGNING_TOKEN": "whsec_" + base64.b64encode(b"court").decode()},
                {"WEBHOOK_SECRET": "court"}, {}):
        with pytest.raises(SystemExit, match="WEBHOOK_"):
            create_app({**env, "WEBHOOK_CHECKOUT": str(path)})


def test_wsgi_the_gitlab_token_still_works_beside_the_signing_token(checkout):
    path, _env = checkout
    app = Webhook(path, "webhook-secret-0123456789abcdef", signing_token=TOKEN)
    statuses = []
    app(environ({"X-Gitlab-Token": "webhook-secret-0123456789abcdef"}, OTHER),
        lambda status, _h: statuses.append(status))
    # A request that carries webhook-signature is judged by it alone.
    bad = {"X-Gitlab-Token": "webhook-secret-0123456789abcdef", "webhook-id": "m",
           "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"}
    app(environ(bad, OTHER), lambda status, _h: statuses.append(status))
    assert [s[:3] for s in statuses] == ["204", "401"]


def test_over_http_good_bad_stale_and_replayed(checkout, tmp_path):
    from sitekit.clock import parse_now

    path, env = checkout
    now = int(parse_now(env["SCHEDULE_NOW"], "Europe/Paris").timestamp())
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
         "publisher.git.webhook:application"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**env, "WEBHOOK_SIGNING_TOKEN": TOKEN, "WEBHOOK_CHECKOUT": str(path)})
    url = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: post(url, {}, OTHER) == 401, 60)
        assert post(url, headers(OTHER, "msg_a", now), OTHER) == 204  # signed, another branch
        assert post(url, headers(OTHER, "msg_a", now), OTHER) == 409  # replayed
        assert post(url, headers(MAIN, "msg_b", now, b"y" * 32), MAIN) == 401  # bad key
        tampered = headers(OTHER, "msg_c", now)
        assert post(url, tampered, MAIN) == 401  # another body
        assert post(url, headers(MAIN, "msg_d", now - 600), MAIN) == 401  # stale
        assert post(url, headers(MAIN, "msg_e", now + 600), MAIN) == 401  # from the future
        assert post(url, {"X-Gitlab-Token": "webhook-secret-0123456789abcdef"}, MAIN) == 401
        assert post(url, headers(MAIN, "msg_f", now), MAIN) == 202  # a push: synchronised
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    text = (tmp_path / "gunicorn.log").read_text()
    assert "requête signée refusée (horodatage)" in text and "(rejeu)" in text
