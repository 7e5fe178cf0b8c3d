"""Development launcher: the whole site on one local address.

    python -m comment_service.devserver [--host 127.0.0.1] [--port 8000]

It does what nginx, gunicorn and a rebuild hook do in production, in one
process, with the standard library only:

* builds the site once with Pelican (``pelicanconf.py``, content cache on);
* serves the static output, with the right content types (``.ics`` as
  ``text/calendar``) and the site's 404 page;
* mounts the comment service under ``/commentaires/`` (same origin, so the
  form works without any CORS set-up), storing comments in ``var/comments``;
* rebuilds the site whenever content, the theme, the plugins, the settings or
  the *approved* comments change: approve a comment with
  ``python -m comment_service approve ID`` and reload the page.

Development only: production serves ``output/`` with nginx and runs the
service under gunicorn (see the README).
"""

from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from wsgiref.simple_server import make_server

from .devhttp import QuietHandler, ThreadingWSGIServer

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("devserver")

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
WATCHED = ("content", "theme", "plugins", "pelicanconf.py")


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


def build(output: Path, cache: Path) -> bool:
    """Run Pelican; on failure print its message (editors read it) and go on."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-o", str(output), "-s", "pelicanconf.py",
         "--log-handler", "plain", "-q", "-e", f"CACHE_PATH={json.dumps(str(cache))}"],
        cwd=ROOT, capture_output=True, text=True)
    if result.returncode == 0:
        log.info("site built in %.1f s", time.perf_counter() - started)
        return True
    sys.stderr.write(result.stdout + result.stderr)
    log.error("the site was NOT rebuilt: fix the error above and save again")
    return False


def watch_and_rebuild(output: Path, cache: Path, store: Path, stop: threading.Event) -> None:
    from watchfiles import watch

    approved = store / "approved"
    approved.mkdir(parents=True, exist_ok=True)
    paths = [ROOT / p for p in WATCHED if (ROOT / p).exists()] + [approved]
    for changes in watch(*paths, stop_event=stop, debounce=400, step=100,
                         watch_filter=lambda _change, path: "__pycache__" not in path
                         and not path.endswith((".tmp", "~"))):
        log.info("change detected (%s): rebuilding", ", ".join(
            sorted({os.path.relpath(p, ROOT) for _c, p in changes})[:3]))
        build(output, cache)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Site + comment service, for development.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--output", default="output")
    parser.add_argument("--cache", default="cache", help="Pelican's content cache folder")
    parser.add_argument("--no-watch", action="store_true", help="build once, no rebuilds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    os.chdir(ROOT)
    output = (ROOT / args.output).resolve()
    cache = (ROOT / args.cache).resolve()
    site_url = f"http://{args.host}:{args.port}"
    os.environ.setdefault("COMMENTS_SITE_URL", site_url)
    os.environ.setdefault("SITE_ABSOLUTE_URL", site_url)
    os.environ.setdefault("COMMENTS_THREADS_FILE", str(output / "comment-threads.json"))
    os.environ.setdefault("COMMENTS_STORE", "var/comments")

    from .app import create_app
    from .config import load_config

    config = load_config()
    build(output, cache)
    app = Mount(config.prefix, create_app(config), StaticSite(output))
    stop = threading.Event()
    if not args.no_watch:
        threading.Thread(target=watch_and_rebuild, args=(output, cache, config.store, stop),
                         daemon=True).start()
    with make_server(args.host, args.port, app, server_class=ThreadingWSGIServer,
                     handler_class=QuietHandler.with_logger("devserver")) as server:
        log.info("site and comment service on %s/ (comments under %s/, stored in %s)",
                 site_url, config.prefix, config.store)
        log.info("moderate with: .venv/bin/python -m comment_service list")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
