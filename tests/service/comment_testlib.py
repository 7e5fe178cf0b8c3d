"""Helpers for the comment service tests: a WSGI-level client (wrapped in
wsgiref.validate), a real gunicorn server with two workers, constants.

A uniquely named module (not conftest) so that test modules can import it
whatever other conftest.py files the run loads; the fixtures are in conftest.py.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

ROOT = Path(__file__).resolve().parents[2]

from comment_service.captcha.challenge import answer_for  # noqa: E402
from comment_service.config import Config, RateLimit  # noqa: E402

from support import BLNS  # noqa: E402,F401 (the naughty strings, in tests/data/)
SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
THREAD = "inventer-les-services-publics-de-demain"
THREAD_URL = "/2014/06/12/inventer-les-services-publics-de-demain/"
CLOSED = "article-ferme"
SITE = "http://127.0.0.1:8000"
PREFIX = "/commentaires"


def write_manifest(path: Path, extra: dict | None = None) -> Path:
    threads = {
        THREAD: {"url": THREAD_URL, "title": "Inventer les services publics de demain", "open": True},
        CLOSED: {"url": "/2013/01/01/article-ferme/", "title": "Un article fermé", "open": False},
    }
    threads.update(extra or {})
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"version": 1, "threads": threads}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return path


def stored_files(store: Path) -> list[Path]:
    """Every comment file in the store (all states), and nothing left in tmp/."""
    return sorted(p for state in ("pending", "approved", "rejected") for p in (store / state).glob("*/*.json"))


def tmp_leftovers(store: Path) -> list[Path]:
    return sorted((store / "tmp").glob("*")) if (store / "tmp").exists() else []


class Clock:
    """A controllable clock for the WSGI app (time is not one of our components)."""

    def __init__(self, now: float | None = None):
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class WSGIResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    header_list: list = field(default_factory=list)

    @property
    def json(self):
        assert self.headers.get("content-type", "").startswith("application/json"), self.headers
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class WSGIClient:
    """Calls the app the way a server does, through wsgiref.validate.validator."""

    def __init__(self, app, config: Config):
        self.raw_app = app
        self.app = validator(app)
        self.config = config
        self.ip_counter = 0

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None,
                content_type: str | None = None, script_name: str = "", content_length: str | None = "auto",
                remote_addr: str = "127.0.0.1", query: str = "", validate: bool = True) -> WSGIResponse:
        """One request; ``validate=False`` skips wsgiref.validate for environs it rejects itself."""
        environ: dict = {}
        setup_testing_defaults(environ)
        environ.update({
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": script_name,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_ADDR": remote_addr,
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.input": io.BytesIO(body),
        })
        if content_type is not None:
            environ["CONTENT_TYPE"] = content_type
        if content_length == "auto":
            if body or method in ("POST", "PUT"):
                environ["CONTENT_LENGTH"] = str(len(body))
        elif content_length is not None:
            environ["CONTENT_LENGTH"] = content_length
        for key, value in (headers or {}).items():
            environ["HTTP_" + key.upper().replace("-", "_")] = value
        captured = {}

        def start_response(status, header_list, exc_info=None):
            captured["status"], captured["headers"] = status, header_list
            return lambda data: None

        result = (self.app if validate else self.raw_app)(environ, start_response)
        try:
            data = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers_out = {k.lower(): v for k, v in captured["headers"]}
        return WSGIResponse(int(captured["status"].split()[0]), headers_out, data, captured["headers"])

    # Convenience -----------------------------------------------------------
    def captcha(self, **kw) -> tuple[str, str]:
        resp = self.request("GET", PREFIX + "/captcha", **kw)
        assert resp.status == 200, resp.body
        token = resp.json["token"]
        return token, answer_for(token, self.config.secret)

    def fields(self, **overrides) -> dict:
        token, answer = self.captcha(remote_addr=overrides.pop("remote_addr", "127.0.0.1"))
        data = {"name": "Marie Dupont", "email": "", "text": "Un commentaire.", "captcha_token": token,
                "captcha_answer": answer, "website": ""}
        data.update(overrides)
        return data

    def post_json(self, thread: str = THREAD, data: dict | None = None, raw: bytes | None = None,
                  **kw) -> WSGIResponse:
        body = raw if raw is not None else json.dumps(data, ensure_ascii=False).encode("utf-8")
        kw.setdefault("content_type", "application/json")
        return self.request("POST", f"{PREFIX}/fils/{thread}", body, **kw)

    def post_form(self, thread: str = THREAD, data: dict | list | None = None, raw: bytes | None = None,
                  **kw) -> WSGIResponse:
        body = raw if raw is not None else urllib.parse.urlencode(data or {}).encode("ascii")
        kw.setdefault("content_type", "application/x-www-form-urlencoded")
        return self.request("POST", f"{PREFIX}/fils/{thread}", body, **kw)


def make_config(tmp_path: Path, **overrides) -> Config:
    defaults = dict(
        store=tmp_path / "store",
        threads_file=write_manifest(tmp_path / "comment-threads.json"),
        secret=SECRET,
        site_url=SITE,
        allowed_origins=(SITE,),
        min_fill_seconds=0,
        rate_limit=RateLimit(1000, 600),
        captcha_rate_limit=RateLimit(1000, 600),
        media_rate_limit=RateLimit(1000, 600),
    )
    defaults.update(overrides)
    return Config(**defaults)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str  # e.g. http://127.0.0.1:41234
    store: Path
    process: subprocess.Popen
    access_log: Path
    secret: str = SECRET

    def url(self, path: str) -> str:
        return self.base + path

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.url(path), data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()

    def captcha(self, ip: str) -> tuple[str, str]:
        status, _, body = self.request("GET", PREFIX + "/captcha", headers={"X-Forwarded-For": ip})
        assert status == 200, body
        token = json.loads(body)["token"]
        return token, answer_for(token, self.secret)

    def post_json(self, thread: str, data: dict, ip: str, query: str = "") -> tuple[int, dict, bytes]:
        return self.request("POST", f"{PREFIX}/fils/{thread}" + (f"?{query}" if query else ""),
                            json.dumps(data).encode("utf-8"),
                            {"Content-Type": "application/json", "X-Forwarded-For": ip})


def start_gunicorn(tmp: Path, workers: int = 2, env_overrides: dict | None = None,
                   threads_extra: dict | None = None) -> Server:
    tmp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    store = tmp / "store"
    manifest = write_manifest(tmp / "comment-threads.json", threads_extra)
    access_log = tmp / "access.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    env.update({
        "COMMENTS_STORE": str(store),
        "COMMENTS_THREADS_FILE": str(manifest),
        "COMMENTS_SECRET": SECRET,
        "COMMENTS_ENV": "production",
        "COMMENTS_SITE_URL": SITE,
        "COMMENTS_MIN_FILL_SECONDS": "0",
        "COMMENTS_RATE_LIMIT": "3/600",
        "COMMENTS_CAPTCHA_RATE_LIMIT": "1000/600",
        "COMMENTS_MEDIA_RATE_LIMIT": "1000/600",
        "COMMENTS_TRUSTED_PROXIES": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    })
    env.update(env_overrides or {})
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
           "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(s)s %(m)s %(U)s?%(q)s",
           "--graceful-timeout", "5", "comment_service.wsgi:application"]
    errlog = open(tmp / "gunicorn.err", "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=errlog, stderr=errlog, start_new_session=True)
    errlog.close()
    server = Server(f"http://127.0.0.1:{port}", store, proc, access_log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {(tmp / 'gunicorn.err').read_text()[-2000:]}")
        try:
            status, _, _ = server.request("GET", PREFIX + "/sante", timeout=2)
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /sante within 30 s")


def stop_server(server: Server, sig: int = signal.SIGTERM) -> None:
    stop_group(server.process, sig)


def stop_group(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a server started in its own process group (master and workers)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


MANY_THREADS = {f"fil-{i:03d}": {"url": f"/fil-{i:03d}/", "title": f"Fil {i}", "open": True} for i in range(60)}
