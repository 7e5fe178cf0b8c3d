"""The service over real HTTP: gunicorn with two worker processes on a free
loopback port, a temporary store and manifest (see conftest.start_gunicorn)."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from comment_service.rules import messages as msg

from comment_testlib import PREFIX, ROOT, SITE, THREAD, THREAD_URL, start_gunicorn, stop_server, stored_files

pytestmark = pytest.mark.timeout(120)


def comment(token, answer, **kw):
    data = {"name": "Marie", "email": "", "text": "Un commentaire.", "captcha_token": token,
            "captcha_answer": answer, "website": ""}
    data.update(kw)
    return data


def access_log(server) -> list[tuple[int, int, str]]:
    """(pid, status, path?query) of every request gunicorn logged."""
    rows = []
    for line in server.access_log.read_text().splitlines():
        pid, status, _method, target = line.split(" ", 3)
        rows.append((int(pid.strip("<>")), int(status), target))
    return rows


def test_accepted_comment_lands_whole(server, ip_factory):
    ip = ip_factory()
    token, answer = server.captcha(ip)
    status, headers, body = server.post_json(THREAD, comment(token, answer, text="Bonjour\r\nà tous"), ip)
    assert status == 202, body
    reply = json.loads(body)
    path = server.store / "pending" / THREAD / f"{reply['id']}.json"
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["text"] == "Bonjour\nà tous" and stored["thread"] == THREAD and stored["status"] == "pending"
    assert set(stored) == {"id", "thread", "name", "email", "text", "created_at", "status"}


def test_health_and_captcha_over_http(server, ip_factory):
    status, headers, body = server.request("GET", PREFIX + "/sante")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    status, headers, body = server.request("GET", PREFIX + "/captcha", headers={"X-Forwarded-For": ip_factory()})
    data = json.loads(body)
    assert headers["cache-control"] == "no-store"
    status, headers, png = server.request("GET", data["image"])
    assert status == 200 and headers["content-type"] == "image/png" and png[:4] == b"\x89PNG"
    assert re.fullmatch(r"private, max-age=(600|599)", headers["cache-control"])


def test_token_reuse_refused_on_every_worker(server, ip_factory):
    """Each token is posted by four simultaneous clients: exactly one wins, in
    whichever worker process; the other worker refuses the spent token too."""
    cross_worker_refusals = 0
    rounds = 0
    while cross_worker_refusals == 0 and rounds < 5:
        rounds += 1
        jobs = []
        for t in range(20):
            ip = ip_factory()
            token, answer = server.captcha(ip)
            for attempt in range(4):
                jobs.append((f"r{rounds}t{t}", attempt, ip, token, answer))

        def post(job):
            key, attempt, ip, token, answer = job
            status, _, body = server.post_json(THREAD, comment(token, answer), ip, query=f"k={key}&a={attempt}")
            return key, status, json.loads(body)

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(post, jobs))
        by_token = defaultdict(list)
        for key, status, body in results:
            by_token[key].append((status, body))
        for key, outcomes in by_token.items():
            statuses = sorted(s for s, _ in outcomes)
            assert statuses == [202, 400, 400, 400], (key, outcomes)
            for status, body in outcomes:
                if status == 400:
                    assert body["errors"]["captcha_answer"] == msg.CAPTCHA_USED
        # Which worker served what (gunicorn's access log names the pid).
        served = defaultdict(list)
        for pid, status, target in access_log(server):
            query = urllib.parse.parse_qs(target.split("?", 1)[1])
            if query.get("k", [""])[0].startswith(f"r{rounds}t"):
                served[query["k"][0]].append((pid, status))
        for key, rows in served.items():
            winner = {pid for pid, status in rows if status == 202}
            losers = {pid for pid, status in rows if status == 400}
            if losers - winner:
                cross_worker_refusals += 1
    assert cross_worker_refusals > 0, "never saw a refusal in the other worker"
    assert len({pid for pid, _, _ in access_log(server)}) == 2


def test_concurrent_posts_land_exactly_once(server, ip_factory):
    """200 comments from 16 threads, spread over 50 threads that have no folder yet."""
    threads = [f"fil-{i:03d}" for i in range(50)]
    for t in threads:
        assert not (server.store / "pending" / t).exists()

    def one(i):
        ip = ip_factory()
        token, answer = server.captcha(ip)
        status, _, body = server.post_json(threads[i % 50], comment(token, answer, text=f"Commentaire {i}"), ip)
        return status, json.loads(body)

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(200)))
    accepted = [body["id"] for status, body in results if status == 202]
    assert len(accepted) == 200, [r for r in results if r[0] != 202][:3]
    files = [p for p in stored_files(server.store) if p.parent.name.startswith("fil-")]
    assert len(files) == len(accepted) == len(set(accepted))
    assert {p.stem for p in files} == set(accepted)
    texts = sorted(json.loads(p.read_text(encoding="utf-8"))["text"] for p in files)
    assert texts == sorted(f"Commentaire {i}" for i in range(200))
    assert list((server.store / "tmp").iterdir()) == []


def test_rate_limit_holds_across_workers(server, ip_factory):
    """The server allows 3 comments per 600 s per client; 8 simultaneous tries."""
    ip = ip_factory()
    tokens = [server.captcha(ip) for _ in range(8)]

    def post(i):
        token, answer = tokens[i]
        return server.post_json(THREAD, comment(token, answer), ip, query=f"rl={i}")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(post, range(8)))
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [202] * 3 + [429] * 5
    for status, headers, body in results:
        if status == 429:
            assert 0 < int(headers["retry-after"]) <= 600
            assert json.loads(body)["message"]


def test_form_post_over_http_redirects(server, ip_factory):
    ip = ip_factory()
    token, answer = server.captcha(ip)
    body = urllib.parse.urlencode(comment(token, answer)).encode()
    conn = http.client.HTTPConnection(server.base.split("//")[1], timeout=30)
    try:
        conn.request("POST", f"{PREFIX}/fils/{THREAD}", body,
                     {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip, "Origin": SITE})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 303
        assert resp.getheader("Location") == SITE + THREAD_URL + "#commentaire-envoye"
    finally:
        conn.close()


def test_oversize_and_hostile_requests_over_http(server, ip_factory):
    status, _, body = server.request("POST", f"{PREFIX}/fils/{THREAD}", b"x" * 100_000,
                                     {"Content-Type": "application/json"})
    assert status == 413 and json.loads(body)["message"]
    status, _, _ = server.request("POST", f"{PREFIX}/fils/{THREAD}", b"{}", {"Content-Type": "text/plain"})
    assert status == 415
    # A huge header: gunicorn's own limits answer with a 4xx; the service stays up.
    try:
        status, _, _ = server.request("GET", PREFIX + "/sante", headers={"X-Big": "a" * 20_000})
        assert 400 <= status < 500
    except (http.client.HTTPException, ConnectionError):
        pass
    assert server.request("GET", PREFIX + "/sante")[0] == 200


@pytest.mark.timeout(60)
def test_acknowledged_comment_survives_sigkill(tmp_path):
    """fsync before the 202: kill every gunicorn process at once right after it."""
    srv = start_gunicorn(tmp_path / "killed", workers=1, env_overrides={"COMMENTS_RATE_LIMIT": "100/600"})
    try:
        token, answer = srv.captcha("198.51.100.77")
        status, _, body = srv.post_json(THREAD, comment(token, answer, text="Je survivrai"), "198.51.100.77")
        os.killpg(srv.process.pid, signal.SIGKILL)
        srv.process.wait(timeout=10)
    finally:
        stop_server(srv)
    assert status == 202
    comment_id = json.loads(body)["id"]
    stored = json.loads((srv.store / "pending" / THREAD / f"{comment_id}.json").read_text(encoding="utf-8"))
    assert stored["text"] == "Je survivrai"


def _env_without_secret(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    env.update({"COMMENTS_ENV": "production", "PYTHONPATH": str(ROOT)}, **extra)
    return env


@pytest.mark.timeout(60)
def test_production_without_secret_refuses_to_start(tmp_path):
    env = _env_without_secret(COMMENTS_STORE=str(tmp_path / "store"))
    proc = subprocess.run([sys.executable, "-m", "comment_service", "serve", "--port", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "COMMENTS_SECRET" in proc.stderr and "production" in proc.stderr

    proc = subprocess.run([sys.executable, "-m", "gunicorn", "-w", "1", "-b", "127.0.0.1:0",
                           "comment_service.wsgi:application"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=45)
    assert proc.returncode != 0
    assert "COMMENTS_SECRET is not set" in proc.stderr

    weak = _env_without_secret(COMMENTS_SECRET="short")
    proc = subprocess.run([sys.executable, "-c", "import comment_service.wsgi"], cwd=ROOT, env=weak,
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0 and "too weak" in proc.stderr
    assert not (tmp_path / "store").exists()


# --- hostile headers and resubmissions -------------------------------------------------

@pytest.mark.parametrize("script_name", ["//evil.example", "/commentaires", "/ailleurs", "/commentaires/captcha"])
def test_client_script_name_header_changes_nothing(server, ip_factory, script_name):
    """gunicorn maps a SCRIPT_NAME header from a trusted address into the environ (and answers 500
    when the path does not start with it): gunicorn.conf.py stops it; the service ignores SCRIPT_NAME."""
    status, _, body = server.request("GET", PREFIX + "/captcha",
                                     headers={"SCRIPT_NAME": script_name, "X-Forwarded-For": ip_factory()})
    assert status == 200, body
    data = json.loads(body)
    assert data["image"] == f"{PREFIX}/captcha/{data['token']}.png"
    assert data["audio"] == f"{PREFIX}/captcha/{data['token']}.mp3"


def test_resubmission_answers_the_same_on_both_workers(server, ip_factory):
    """The first answer comes back from whichever worker gets the repeat; one comment is stored."""
    pids_seen: set[int] = set()
    for round_ in range(5):
        ip = ip_factory()
        token, answer = server.captcha(ip)
        sid = f"resubmission-{round_:02d}-{ip_factory().replace(':', '')}"[:64]
        data = comment(token, answer, text=f"Envoyé deux fois {round_}", submission_id=sid)
        status, _, body = server.post_json(THREAD, data, ip, query=f"sid={sid}&n=0")
        assert status == 202, body
        first = json.loads(body)

        def repeat(n):
            return server.post_json(THREAD, data, ip, query=f"sid={sid}&n={n}")

        with ThreadPoolExecutor(4) as pool:
            repeats = list(pool.map(repeat, range(1, 9)))
        for status, _, body in repeats:
            assert status == 202 and json.loads(body) == first, body
        stored = [p for p in stored_files(server.store) if p.stem == first["id"]]
        texts = [p for p in stored_files(server.store)
                 if json.loads(p.read_text(encoding="utf-8"))["text"] == f"Envoyé deux fois {round_}"]
        assert len(stored) == 1 and len(texts) == 1
        served = [(pid, target) for pid, _, target in access_log(server) if f"sid={sid}&" in target]
        first_pid = next(pid for pid, target in served if target.endswith("n=0"))
        pids_seen |= {pid for pid, target in served if not target.endswith("n=0")} - {first_pid}
        if pids_seen:
            break
    assert pids_seen, "no repeat was ever served by the other worker"
