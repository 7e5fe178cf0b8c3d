"""Helpers for the moderation console tests: a browser-like HTTP client (its own
cookie, the CSRF token read from the last page) against a real gunicorn, and
accounts created through the real command line."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from comment_testlib import PREFIX, ROOT, Server

CONSOLE = PREFIX + "/moderation"
PASSWORD = "correct horse battery staple"
FORM = "application/x-www-form-urlencoded"
_CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def cli(store: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    env["COMMENTS_STORE"] = str(store)
    return subprocess.run([sys.executable, "-m", "comment_service", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def add_account(store: Path, name: str, password: str = PASSWORD) -> None:
    result = cli(store, "moderators", "add", name, stdin=password + "\n")
    assert result.returncode == 0, result.stderr


def audit(store: Path) -> list[dict]:
    path = store / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def raw_request(server: Server, method: str, path: str, body: bytes | None, headers: dict):
    """One request, redirects not followed (a browser's view of a 303)."""
    parts = urllib.parse.urlsplit(server.base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


@dataclass
class Page:
    status: int
    headers: dict
    body: str

    @property
    def csrf(self) -> str:
        match = _CSRF_RE.search(self.body)
        assert match, self.body[:500]
        return match[1]


@dataclass
class Browser:
    """One moderator's browser: a cookie and the last page."""

    server: Server
    ip: str = "192.0.2.10"
    cookie: str = ""  # "name=value"
    set_cookies: list[str] = field(default_factory=list)
    last: Page | None = None
    token: str = ""  # the CSRF token of the last page that had one

    def _send(self, method: str, path: str, body: bytes | None = None, ctype: str | None = None) -> Page:
        headers = {"X-Forwarded-For": self.ip}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if ctype:
            headers["Content-Type"] = ctype
        status, resp_headers, data = raw_request(self.server, method, path, body, headers)
        set_cookie = resp_headers.get("set-cookie")
        if set_cookie:
            self.set_cookies.append(set_cookie)
            self.cookie = set_cookie.split(";")[0]
        self.last = Page(status, resp_headers, data.decode("utf-8", "replace"))
        match = _CSRF_RE.search(self.last.body)
        if match:
            self.token = match[1]
        return self.last

    def get(self, path: str) -> Page:
        return self._send("GET", CONSOLE + path)

    def post(self, path: str, fields: list[tuple[str, str]] | dict, csrf: str | None = "auto") -> Page:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf == "auto":
            csrf = self.token
        if csrf is not None:
            pairs.insert(0, ("csrf", csrf))
        return self._send("POST", CONSOLE + path, urllib.parse.urlencode(pairs).encode("utf-8"), FORM)

    def login(self, name: str, password: str = PASSWORD, code: str = "") -> Page:
        self.get("/connexion")
        return self.post("/connexion", {"identifiant": name, "mot_de_passe": password, "code": code})

    def follow(self, page: Page) -> Page:
        assert page.status == 303, (page.status, page.body[:300])
        location = page.headers["location"]
        assert location.startswith(CONSOLE), location
        return self._send("GET", location)


def state_of(store: Path, comment_id: str) -> list[str]:
    """Every state folder holding the comment (exactly one, or none once deleted)."""
    return [state for state in ("pending", "approved", "rejected") if list((store / state).glob(f"*/{comment_id}.json"))]
