"""The repository's nginx configuration, run by Debian's nginx in front of a
real gunicorn and a real release: pages, types, caching and security headers,
the comment POST, what must stay unreachable, the console's access rule, the
rate-limit zone; and the policy equal to the development launcher's."""

from __future__ import annotations

import grp
import gzip
import os
import pwd
import re
import socket
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from deploylib import ARTICLE, THREAD, captcha, http, post, unix_http
from devserver import CONTENT_SECURITY_POLICY
from support import ROOT

pytestmark = pytest.mark.timeout(300)


def test_the_policy_is_the_launchers(tmp_path):
    text = (ROOT / "deploy" / "nginx" / "csp.conf").read_text(encoding="utf-8")
    assert re.findall(r'""\s+"([^"]+)";', text) == [CONTENT_SECURITY_POLICY]


@pytest.mark.parametrize("path", ["/", ARTICLE, "/recherche/", "/agenda/"])
def test_pages_with_their_headers(stack, path):
    nginx, _service, _store = stack
    answer = http(nginx.base + path)
    assert answer.status == 200 and b"<html" in answer.body
    h = answer.headers
    assert h["Content-Type"] == "text/html; charset=utf-8"
    assert h["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert "camera=()" in h["Permissions-Policy"]
    assert h["Cache-Control"] == "no-cache"
    assert "Strict-Transport-Security" not in h  # plain HTTP here: HSTS only on TLS
    assert h["Server"] == "nginx"  # server_tokens off: no version


def first(release_root, pattern):
    return "/" + str(next((release_root / "current").glob(pattern)).relative_to(release_root / "current"))


@pytest.mark.parametrize("pattern, ctype, cache", [
    ("agenda/*.ics", "text/calendar; charset=utf-8", "no-cache"),
    ("theme/css/main.css", "text/css; charset=utf-8", "public, max-age=300, must-revalidate"),
    ("pagefind/pagefind.js", "text/javascript; charset=utf-8", "public, max-age=300, must-revalidate"),
    ("pagefind/wasm.*.pagefind", "application/octet-stream", "public, max-age=300, must-revalidate"),
    ("pagefind/fragment/*.pf_fragment", "application/octet-stream", "public, max-age=31536000, immutable"),
    ("pagefind/index/*.pf_index", "application/octet-stream", "public, max-age=31536000, immutable"),
    ("pagefind/*.pf_meta", "application/octet-stream", "public, max-age=31536000, immutable"),
    ("feeds/*.atom.xml", "application/atom+xml; charset=utf-8", "no-cache"),
    ("sitemap.xml", "application/xml; charset=utf-8", "no-cache"),
    ("donnees/*.csv", "text/csv; charset=utf-8", "no-cache"),
])
def test_types_and_caching(stack, release_root, pattern, ctype, cache):
    nginx, _service, _store = stack
    answer = http(nginx.base + first(release_root, pattern))
    assert answer.status == 200
    assert answer.headers["Content-Type"] == ctype
    assert answer.headers["Cache-Control"] == cache
    assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_text_is_compressed(stack):
    nginx, _service, _store = stack
    answer = http(nginx.base + "/theme/css/main.css", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert b"{" in gzip.decompress(answer.body)


def test_the_404_page(stack, release_root):
    nginx, _service, _store = stack
    answer = http(nginx.base + "/pas-de-page-ici/")
    assert answer.status == 404
    assert answer.body == (release_root / "current" / "404.html").read_bytes()
    assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/comment-threads.json", "/.lock", "/../comment-threads.json",
                                  "/%2e%2e/releases/", "/releases/", "/.building-x/"])
def test_manifest_and_hidden_files_are_unreachable(stack, path):
    nginx, _service, _store = stack
    assert http(nginx.base + path).status in (400, 404)


def test_the_store_is_unreachable(stack):
    nginx, _service, store = stack
    for path in ("/commentaires/guard.sqlite3", "/commentaires/pending/", "/commentaires/../comments/",
                 "/commentaires/audit.jsonl", "/commentaires/moderators.json"):
        answer = http(nginx.base + path)
        assert answer.status in (400, 403, 404), path
        assert b"SQLite" not in answer.body


def test_a_comment_posted_through_nginx(stack):
    nginx, _service, store = stack
    token, solution = captcha(nginx.base)
    answer = post(nginx.base, THREAD, token, solution)
    assert answer.status == 202, answer.body
    comment_id = answer.json()["id"]
    assert (store / "pending" / THREAD / f"{comment_id}.json").is_file()
    # The service's own headers are kept, nginx's are not doubled.
    captcha_answer = http(nginx.base + "/commentaires/captcha")
    assert captcha_answer.headers["Cache-Control"] == "no-store"
    assert captcha_answer.headers.get_all("X-Content-Type-Options") == ["nosniff"]
    audio = http(nginx.base + captcha_answer.json()["audio"])
    assert audio.status == 200 and audio.headers["Content-Type"] == "audio/mpeg"


def test_a_form_page_of_the_service_keeps_its_own_policy(stack):
    nginx, _service, _store = stack
    answer = http(nginx.base + f"/commentaires/fils/{THREAD}", "POST", b"name=a&text=b",
                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 400 and answer.headers["Content-Type"].startswith("text/html")
    policies = answer.headers.get_all("Content-Security-Policy")
    assert len(policies) == 1 and policies[0] != CONTENT_SECURITY_POLICY


def test_a_body_over_the_limit_is_refused_by_nginx(stack):
    nginx, _service, _store = stack
    answer = http(nginx.base + f"/commentaires/fils/{THREAD}", "POST", b"x" * 20000,
                  {"Content-Type": "application/json"})
    assert answer.status == 413
    assert b"nginx" in answer.body  # refused in front, the service never saw it


def test_the_console_is_closed_outside_the_allowed_network(stack):
    nginx, service, _store = stack
    assert http(nginx.base + "/commentaires/moderation/").status == 403
    assert unix_http(service.socket, "GET", "/commentaires/moderation/")[0] in (200, 302, 303)


def test_only_nginx_reaches_the_service(stack):
    """Issue 21, item 8: gunicorn listens on a Unix socket only nginx's group may
    open (no TCP port): another local user cannot talk to it, so no one but
    nginx can hand it an X-Forwarded-For."""
    _nginx, service, _store = stack
    mode = service.socket.stat()
    assert stat.S_IMODE(mode.st_mode) == 0o660 and grp.getgrgid(mode.st_gid).gr_name == "www-data"
    def as_user(uid: int, gid: int, groups: list[int]) -> int:
        """Connect from a child process running as another user: 0, or 13 when refused."""
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code = 1
            try:
                os.setgroups(groups)
                os.setgid(gid)
                os.setuid(uid)
                with socket.socket(socket.AF_UNIX) as sock:
                    sock.connect(str(service.socket))
                code = 0
            except PermissionError:
                code = 13
            finally:
                os._exit(code)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    if os.geteuid() != 0:
        pytest.skip("needs root to act as other users")
    nobody, www = pwd.getpwnam("nobody"), grp.getgrnam("www-data")
    assert as_user(nobody.pw_uid, nobody.pw_gid, []) == 13  # any local process: refused
    assert as_user(nobody.pw_uid, nobody.pw_gid, [www.gr_gid]) == 0  # nginx's group: admitted


def test_the_rate_limit_zone_answers_429_to_a_burst(stack):
    nginx, _service, _store = stack
    time.sleep(3)  # the zone's bucket empties
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: http(nginx.base + "/commentaires/captcha").status, range(40)))
    assert statuses.count(200) >= 8 and statuses.count(429) >= 10, statuses
    # Pages are not in the zone.
    assert http(nginx.base + "/").status == 200


def test_the_production_servers_pass_nginx_t_with_hsts_on_tls(tmp_path):
    from deploy.render import render

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    from deploylib import need

    subprocess.run([need("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=www.example.fr", "-keyout", str(key), "-out", str(cert)], check=True,
                   capture_output=True)
    conf = tmp_path / "conf"
    files = render(conf, ["127.0.0.1:8001", "127.0.0.1:8002"], SITE_ROOT=str(tmp_path), TLS_CERT=str(cert),
                   TLS_KEY=str(key))
    assert "Strict-Transport-Security" in files["valdoise.conf"].read_text()
    assert "Strict-Transport-Security" not in files["site.conf"].read_text()
    main = tmp_path / "nginx.conf"
    temp = "".join(f"{k}_temp_path {tmp_path / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main.write_text(f"pid {tmp_path / 'pid'};\nevents {{}}\nhttp {{\n{temp}include {files['http.conf']};\n"
                    f"include {files['valdoise.conf']};\n}}\n")
    result = subprocess.run([need("nginx"), "-t", "-c", str(main), "-e", str(tmp_path / "err.log")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
