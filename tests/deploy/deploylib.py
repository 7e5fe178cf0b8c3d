"""Helpers of the deployment tests. Real programs on 127.0.0.1: Debian's nginx (unprivileged, with the
repository's configuration rendered by deploy/render.py), gunicorn running
the comment service, redis-server, and a release built by `python -m release`.

Each test module starts its own servers once (fixtures of scope "module") and
stops them at its end. A missing program skips the tests on a developer's
machine and fails them under CI (`make test` installs nginx, redis-server and
systemd).
"""

from __future__ import annotations

import configparser
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from comment_testlib import stop_group as stop
from support import ROOT, missing

SECRET = "deploy-tests-secret-0123456789abcdef0123456789"


def _socket_unit() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((ROOT / "deploy" / "systemd" / "valdoise-comments@.socket").read_text(encoding="utf-8"))
    return parser["Socket"]


SOCKET_GROUP = _socket_unit()["SocketGroup"]  # what the unit gives, the tests give too
SOCKET_MODE = int(_socket_unit()["SocketMode"], 8)
ARTICLE = "/2014/05/20/le-zip-val-doise-cherche-des-projets-a-accompagner/"
THREAD = "le-zip-val-doise-cherche-des-projets-a-accompagner"


def need(program: str) -> str:
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if path is None:
        missing(f"{program} is not installed (`make test-deps` installs it from Debian)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(proc)
                pytest.fail(f"{proc.args[0]} did not start on port {port}:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.1)


def spawn(args: list[str], log: Path, env: dict | None = None, cwd: Path = ROOT) -> subprocess.Popen:
    """A server in its own process group (stop() ends the group: master and workers)."""
    with open(log, "ab") as out:
        return subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def publish_release(site_root: Path, site_url: str) -> Path:
    """A real release (build, checks, switch): SITE_ROOT/current, from an
    (empty) comment store of its own, as a production publication needs one."""
    store = site_root.parent / (site_root.name + "-store")
    store.mkdir(exist_ok=True)
    env = dict(os.environ, SITEURL=site_url, SITE_ROOT=str(site_root), COMMENTS_STORE=str(store))
    result = subprocess.run([sys.executable, "-m", "release", "--root", str(site_root), "publish"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_root / "current"


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix socket (how nginx reaches gunicorn in deploy/)."""

    def __init__(self, path: Path, timeout: float = 30):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = str(path)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def unix_http(path: Path, method: str, target: str, headers: dict | None = None, body: bytes | None = None):
    conn = UnixHTTPConnection(path)
    try:
        conn.request(method, target, body=body, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


class Service:
    """One gunicorn master (two workers) running the comment service: on a TCP
    port, or (``unix=True``) on a Unix socket handed over the way systemd's
    valdoise-comments@.socket does (systemd-socket-activate), owned by nginx's
    group with mode 0660 as that unit says, the proxy trusted as ``unix``."""

    def __init__(self, work: Path, name: str, site_root: Path, store: Path, site_url: str, unix: bool = False,
                 **settings: str):
        self.port = free_port()
        self.socket = None
        if unix:  # like /run/valdoise-comments/: a folder others may cross (DirectoryMode=)
            folder = Path(tempfile.mkdtemp(prefix="valdoise-comments-"))
            os.chmod(folder, int(_socket_unit()["DirectoryMode"], 8))
            self.socket = folder / f"{name}.sock"
        self.log = work / f"{name}.log"
        self.env = dict(os.environ, COMMENTS_ENV="production", COMMENTS_SECRET=SECRET,
                        COMMENTS_STORE=str(store), COMMENTS_SITE_URL=site_url,
                        COMMENTS_THREADS_FILE=str(site_root / "current" / "comment-threads.json"),
                        COMMENTS_TRUSTED_PROXIES="127.0.0.1", COMMENTS_MIN_FILL_SECONDS="0",
                        COMMENTS_RATE_LIMIT="100000/600", COMMENTS_CAPTCHA_RATE_LIMIT="100000/600",
                        COMMENTS_MEDIA_RATE_LIMIT="100000/600", PYTHONUNBUFFERED="1")
        if unix:
            self.env["COMMENTS_TRUSTED_PROXIES"] = "unix"
        self.env.update(settings)
        self.proc = None
        self.start()

    def start(self) -> None:
        gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", "2"]
        if self.socket is None:
            self.proc = spawn(gunicorn + ["-b", f"127.0.0.1:{self.port}", "comment_service.wsgi:application"],
                              self.log, self.env)
            wait_port(self.port, self.proc, self.log)
            return
        self.socket.unlink(missing_ok=True)
        passed = [f"--setenv={k}={v}" for k, v in self.env.items()  # it passes on nothing else
                  if k.startswith(("COMMENTS_", "PYTHON", "LANG", "LC_")) or k in ("PATH", "HOME")]
        self.proc = spawn([need("systemd-socket-activate"), "-l", str(self.socket), *passed, *gunicorn,
                           "comment_service.wsgi:application"], self.log, self.env)
        deadline = time.monotonic() + 30
        while not self.socket.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                stop(self.proc)
                pytest.fail("no socket:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.05)
        shutil.chown(self.socket, group=SOCKET_GROUP)  # SocketGroup= and SocketMode= of the unit
        os.chmod(self.socket, SOCKET_MODE)
        while True:  # the first connection starts gunicorn (socket activation)
            try:
                if unix_http(self.socket, "GET", "/commentaires/sante")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                stop(self.proc)
                pytest.fail("gunicorn did not answer on its socket:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.1)

    @property
    def upstream(self) -> str:
        return f"unix:{self.socket}" if self.socket else f"127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM) -> None:
        stop(self.proc, sig)
        if self.socket is not None:
            shutil.rmtree(self.socket.parent, ignore_errors=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Nginx:
    """Debian's nginx in the foreground, with the rendered configuration."""

    def __init__(self, work: Path, site_root: Path, upstreams: list[str], port: int | None = None, **values: str):
        from deploy.render import render

        self.port = port or free_port()
        self.work = work
        conf = work / "nginx"
        render(conf, upstreams, SITE_ROOT=str(site_root), **values)
        user = "user root root;\n" if os.geteuid() == 0 else ""  # workers of a root master read our files
        temp = "".join(f"{k}_temp_path {work / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (work / "nginx.conf").write_text(
            f"{user}pid {work / 'nginx.pid'};\nerror_log {work / 'nginx-error.log'} warn;\n"
            f"worker_processes 2;\nevents {{ worker_connections 512; }}\n"
            f"http {{\n access_log off;\n{temp} include {conf / 'http.conf'};\n"
            f" server {{\n  listen 127.0.0.1:{self.port};\n  include {conf / 'site.conf'};\n }}\n}}\n")
        self.log = work / "nginx.out"
        nginx = need("nginx")
        self.proc = spawn([nginx, "-c", str(work / "nginx.conf"), "-e", str(work / "nginx-error.log"),
                           "-g", "daemon off;"], self.log)
        wait_port(self.port, self.proc, work / "nginx-error.log")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop(self.proc, signal.SIGQUIT)


class Redis:
    def __init__(self, work: Path):
        self.port = free_port()
        self.work = work
        self.proc = None
        self.start()

    def start(self) -> None:
        server = need("redis-server")
        self.proc = spawn([server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                           "--appendonly", "no", "--dir", str(self.work)], self.work / "redis.log")
        wait_port(self.port, self.proc, self.work / "redis.log")
        # The guard refuses captchas issued before Redis started (to the second,
        # with a margin of a second or two): let that moment pass, as it does in real life.
        time.sleep(3.1)

    def stop(self) -> None:
        stop(self.proc, signal.SIGKILL)  # no save on the way out: a crash

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


# --- HTTP helpers ----------------------------------------------------------------

class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def http(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None,
         timeout: float = 30) -> Answer:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Answer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.headers, exc.read())


def captcha(base: str, client: str | None = None) -> tuple[str, str]:
    """A new captcha (token, answer) from the service at ``base``."""
    from comment_service.captcha.challenge import answer_for

    answer = http(base + "/commentaires/captcha", headers={"X-Forwarded-For": client} if client else {})
    assert answer.status == 200, (answer.status, answer.body[:300])
    token = answer.json()["token"]
    return token, answer_for(token, SECRET)


def post(base: str, thread: str, token: str, solution: str, client: str | None = None,
         text: str = "Bonjour, un commentaire de test.") -> Answer:
    body = json.dumps({"name": "Zoé", "email": "", "text": text, "captcha_token": token,
                       "captcha_answer": solution, "website": ""}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if client:
        headers["X-Forwarded-For"] = client
    return http(base + f"/commentaires/fils/{thread}", "POST", body, headers)
