"""The forge webhook (publisher/git/webhook.py): signatures as GitHub,
Forgejo/Gitea and GitLab send them, the rate limit, and a real forge
repository (a bare one, no hooks) whose pushes are fetched, checked and
published, through gunicorn on 127.0.0.1 and at WSGI level."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from hypothesis import given, strategies as st

from gitlib import ARTICLE, Editor, fingerprint, git_env, run, wait_for
from publisher import journal
from publisher.git.webhook import Limiter, Webhook, verify
from support import ROOT

pytestmark = pytest.mark.timeout(600)
SECRET = "webhook-secret-0123456789abcdef"
PUSH = json.dumps({"ref": "refs/heads/main"}).encode()


def signed(forge: str, body: bytes, secret: str = SECRET) -> dict:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"github": {"X-Hub-Signature-256": "sha256=" + digest},
            "gitea": {"X-Gitea-Signature": digest},
            "forgejo": {"X-Forgejo-Signature": digest},
            "gitlab": {"X-Gitlab-Token": secret}}[forge]


def environ(headers: dict, body: bytes = PUSH, method: str = "POST") -> dict:
    env = {"REQUEST_METHOD": method, "CONTENT_LENGTH": str(len(body)),
           "wsgi.input": io.BytesIO(body)}
    env.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()})
    return env


@pytest.mark.parametrize("forge", ["github", "gitea", "forgejo", "gitlab"])
def test_each_forge_signature_is_verified(forge):
    assert verify(environ(signed(forge, PUSH)), PUSH, SECRET) == forge
    assert verify(environ(signed(forge, PUSH, "another-secret-0123456")), PUSH, SECRET) is None
    assert verify(environ(signed(forge, PUSH)), PUSH, "") is None


@given(st.binary(max_size=200), st.binary(min_size=1, max_size=200))
def test_a_signature_is_for_its_body_only(body, other):
    headers = signed("github", body)
    assert verify(environ(headers, body), body, SECRET) == "github"
    if other != body:
        assert verify(environ(headers, other), other, SECRET) is None


def test_the_limiter_counts_a_sliding_window():
    now = [0.0]
    limiter = Limiter(3, 60.0, clock=lambda: now[0])
    assert [limiter.allow() for _ in range(4)] == [True, True, True, False]
    now[0] = 61.0
    assert limiter.allow()


@pytest.fixture()
def forge(tmp_path):
    """A forge's repository (bare, no hooks), an editor's clone pushing to it,
    and the publisher's checkout made by `python -m publisher.git forge`."""
    env = git_env(tmp_path)
    remote, repo, checkout = tmp_path / "forge.git", tmp_path / "editor", tmp_path / "checkout"
    run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], tmp_path, env)
    run(["git", "clone", "-q", str(remote), str(repo)], tmp_path, env)
    run(["git", "checkout", "-q", "-B", "main"], repo, env)
    import shutil

    shutil.copytree(ROOT / "content", repo / "content")
    ed = Editor(repo, env)
    ed.commit("Contenu initial")
    assert ed.push().returncode == 0
    run([sys.executable, "-m", "publisher.git", "forge", str(checkout), "--remote", str(remote),
         "--root", str(tmp_path / "site"), "--mode", "release"], ROOT, env)
    return ed, checkout, tmp_path / "site", env


def head(checkout) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True,
                          text=True).stdout.strip()



def test_wsgi_refuses_bad_signatures_and_limits_the_rate(forge, monkeypatch):
    ed, checkout, _root, env = forge
    for key in ("SITE_ROOT", "COMMENTS_STORE"):
        monkeypatch.setenv(key, env[key])
    app = Webhook(checkout, SECRET, rate=(4, 60.0))
    before = head(checkout)

    def call(headers, body=PUSH, method="POST"):
        statuses = []
        app(environ(headers, body, method), lambda status, _headers: statuses.append(status))
        return statuses[0]

    assert call({"X-Hub-Signature-256": "sha256=" + "0" * 64}).startswith("401")
    assert call({}).startswith("401")
    assert call(signed("gitea", PUSH), method="GET").startswith("405")
    other = json.dumps({"ref": "refs/heads/travail"}).encode()
    assert call(signed("github", other), other).startswith("204")
    assert call(signed("github", PUSH)).startswith("429")  # the fifth in a minute
    assert head(checkout) == before


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, headers: dict, body: bytes = PUSH) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:  # not listening yet
        return 0


def test_over_http_a_signed_push_is_checked_then_published(forge, tmp_path):
    ed, checkout, root, env = forge
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
         "publisher.git.webhook:application"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**env, "WEBHOOK_SECRET": SECRET, "WEBHOOK_CHECKOUT": str(checkout)})
    url = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: post(url, {}) == 401, 60)
        # A mistake pushed to the forge: refused, journaled, nothing moves.
        text = ed.read(ARTICLE)
        ed.write(ARTICLE, text.replace("Date: ", "Date: 1/", 1))
        wrong = ed.commit("Date fausse")
        assert ed.push().returncode == 0  # the forge has no hook of ours
        before = head(checkout)
        assert post(url, signed("forgejo", PUSH)) == 202
        assert wait_for(lambda: any(e["commit"] == wrong for e in journal.read_last(root)), 240)
        refusal = journal.read_last(root, 1)[0]
        assert refusal["outcome"] == "refused" and "illisible" in refusal["report"]
        assert f"{ARTICLE}, ligne 2 : champ « date »" in refusal["report"]
        assert head(checkout) == before
        # Fixed with a sentence more: published.
        ed.write(ARTICLE, text + "\nPhrase arrivée par la forge.\n")
        good = ed.commit("Correction")
        assert ed.push().returncode == 0
        assert post(url, signed("github", PUSH, "wrong-secret-0123456789")) == 401
        assert post(url, signed("gitlab", PUSH)) == 202
        assert wait_for(lambda: head(checkout) == good, 240)
        assert wait_for(lambda: (root / "current").exists() and any(
            "Phrase arrivée par la forge." in p.read_text()
            for p in (root / "current").glob("2014/07/08/*/index.html")), 240)
        last = journal.read_last(root, 1)[0]
        assert (last["outcome"], last["commit"]) == ("published", good)
        fingerprint(root / "current")  # a whole, served release
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
