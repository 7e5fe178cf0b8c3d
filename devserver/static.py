"""The launcher's WSGI pieces: the built site as static files, and a mount
that sends the comment service's prefix to the service.

Standard library only; ``wsgiref.validate`` checks them in the tests.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from sitekit.embeds import frame_sources
from sitekit.gone import is_gone

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
    # Media (plugins/media): players, caption tracks, posters.
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".vtt": "text/vtt; charset=utf-8",
    ".webp": "image/webp",
}


#: The site's Content-Security-Policy: scripts, styles, images, sounds and
#: requests from the site's own origin only; no inline script or style, no
#: plugin; frames only from the video players of sitekit/embeds.py (the one
#: list: a card loads its player there after the reader's click). 'wasm-unsafe-eval' lets the search (Pagefind) compile its
#: WebAssembly index reader; data: images are the browser's own (none in the
#: theme). The launcher sends it on every answer; the production nginx example
#: (docs/publishing.md) sends the same string (a test keeps them equal).
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-src " + " ".join(frame_sources()),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
))
#: Sent with it, unless the application already set them.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


def content_type(path: Path) -> str:
    name = path.name.lower()
    for suffix in sorted(CONTENT_TYPES, key=len, reverse=True):
        if name.endswith(suffix):
            return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


class StaticSite:
    """Serve a built Pelican output folder (read-only, no path escapes).

    ``root`` may be a link (the publisher's ``current``): it is resolved for
    every request, so a switched release is served at once, and a request
    finishes from the release it started with."""

    def __init__(self, root: Path):
        self.link = Path(root).absolute()

    @property
    def root(self) -> Path:
        return self.link.resolve()

    def resolve(self, url_path: str, root: Path | None = None) -> Path | None:
        """The file or folder for a URL path, or None (missing, or outside)."""
        root = root or self.root
        parts = [p for p in url_path.split("/") if p not in ("", ".")]
        if any(p == ".." or "\x00" in p or p.startswith(".") for p in parts):
            return None
        target = root.joinpath(*parts)
        try:
            target.resolve().relative_to(root)
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
        root = self.root
        target = self.resolve(path_info, root)
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
            status, target, fallback = "404 Not Found", root / "404.html", "Page introuvable"
            if is_gone(root, path_info):
                status, target, fallback = "410 Gone", root / "410.html", "Page retirée"
            if not target.is_file():
                start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
                return [f"{fallback} (le site n'est pas encore construit ?)".encode()]
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


class SecurityHeaders:
    """Add SECURITY_HEADERS to every answer of ``app`` that lacks them (the
    comment service's console sends its own, stricter, policy)."""

    def __init__(self, app, headers=SECURITY_HEADERS):
        self.app = app
        self.headers = tuple(headers)

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers = list(headers) + [(n, v) for n, v in self.headers
                                       if n.lower() not in present]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)
