"""The launcher's WSGI pieces: the built site as static files, and a mount
that sends the comment service's prefix to the service.

Standard library only; ``wsgiref.validate`` checks them in the tests.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".ico": "image/x-icon",
    ".wasm": "application/wasm",
    # The search index (Pagefind, plugins/search): compressed binary chunks.
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".webmanifest": "application/manifest+json",
}


def content_type(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(CONTENT_TYPES, key=len, reverse=True):
        if name.endswith(suffix):
            return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


class StaticSite:
    """Serve a built Pelican output folder (read-only, no path escapes)."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def resolve(self, url_path: str) -> Path | None:
        """The file or folder for a URL path, or None (missing, or outside)."""
        parts = [p for p in url_path.split("/") if p not in ("", ".")]
        if any(p == ".." or "\x00" in p or p.startswith(".") for p in parts):
            return None
        target = self.root.joinpath(*parts)
        try:
            target.resolve().relative_to(self.root)
            return target if target.exists() else None
        except (ValueError, OSError):  # outside the output, or a name too long
            return None

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"),
                                                      ("Content-Type", "text/plain; charset=utf-8")])
            return [b"405"]
        path_info = environ.get("PATH_INFO", "/")
        target = self.resolve(path_info)
        if target is not None and target.is_dir():
            if not path_info.endswith("/"):
                # One leading slash: "//host/" would be read as another site.
                location = "/" + path_info.lstrip("/") + "/"
                start_response("301 Moved Permanently", [("Location", location),
                                                     ("Content-Type", "text/plain; charset=utf-8")])
                return [b""]
            target = target / "index.html"
            if not target.is_file():
                target = None
        status = "200 OK"
        if target is None:
            status, target = "404 Not Found", self.root / "404.html"
            if not target.is_file():
                start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
                return ["Page introuvable (le site n'est pas encore construit ?)".encode()]
        body = target.read_bytes()
        start_response(status, [("Content-Type", content_type(target)),
                                ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-cache")])
        return [b"" if method == "HEAD" else body]


class Mount:
    """Send ``prefix/...`` to the comment service, everything else to the site."""

    def __init__(self, prefix: str, service, site):
        self.prefix = prefix.rstrip("/")
        self.service = service
        self.site = site

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == self.prefix or path.startswith(self.prefix + "/"):
            environ = dict(environ)
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix):]
            return self.service(environ, start_response)
        return self.site(environ, start_response)
