"""``python -m devserver``: build the site, serve it with the comment service,
rebuild on changes (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from wsgiref.simple_server import make_server

from comment_service import defaults
from comment_service.devhttp import QuietHandler, ThreadingWSGIServer
from comment_service.store import REPLIES

from .static import Mount, SecurityHeaders, StaticSite

ROOT = Path(__file__).resolve().parents[1]
# What the build reads: a change rebuilds the site (the comment-form
# component's template, CSS and script are copied into every page).
WATCHED = ("content", "theme", "plugins", "comment_service/form", "pelicanconf.py")
log = logging.getLogger("devserver")


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


def watch_and_rebuild(output: Path, cache: Path, approved: Path, stop: threading.Event) -> None:
    """Rebuild when a watched file or the folder of approved comments changes."""
    from watchfiles import watch

    approved.mkdir(parents=True, exist_ok=True)  # watchfiles watches existing paths only
    replies = approved.parent / REPLIES  # the Département's replies are published with their comments
    replies.mkdir(parents=True, exist_ok=True)
    paths = [ROOT / p for p in WATCHED if (ROOT / p).exists()] + [approved, replies]
    for changes in watch(*paths, stop_event=stop, debounce=400, step=100,
                         watch_filter=lambda _change, path: "__pycache__" not in path
                         and not path.endswith((".tmp", "~"))):
        log.info("change detected (%s): rebuilding", ", ".join(
            sorted({os.path.relpath(p, ROOT) for _c, p in changes})[:3]))
        build(output, cache)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devserver",
                                     description="Site + comment service, for development.")
    parser.add_argument("--host", default=os.environ.get("HOST") or defaults.DEV_HOST)
    # A string default goes through `type`: a bad PORT is a usage error, not a traceback.
    parser.add_argument("--port", type=int, default=os.environ.get("PORT") or str(defaults.DEV_PORT))
    parser.add_argument("--output", default="output")
    parser.add_argument("--cache", default="cache", help="Pelican's content cache folder")
    parser.add_argument("--no-watch", action="store_true", help="build once, no rebuilds")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    os.chdir(ROOT)
    output = (ROOT / args.output).resolve()
    cache = (ROOT / args.cache).resolve()
    site_url = f"http://{args.host}:{args.port}"
    # The Pelican build (a child process) and the service read the same variables.
    os.environ.setdefault("COMMENTS_SITE_URL", site_url)
    os.environ.setdefault("SITE_ABSOLUTE_URL", site_url)
    os.environ.setdefault("COMMENTS_THREADS_FILE", str(output / defaults.THREADS_MANIFEST))

    from comment_service.app import create_app
    from comment_service.config import ConfigError, load_config
    from comment_service.store import CommentStore

    try:
        config = load_config()
    except ConfigError as exc:
        print(f"devserver: configuration error: {exc}", file=sys.stderr)
        return 2
    build(output, cache)
    app = SecurityHeaders(Mount(config.prefix, create_app(config), StaticSite(output)))
    stop = threading.Event()
    if not args.no_watch:
        approved = CommentStore(config.store).folder("approved")
        threading.Thread(target=watch_and_rebuild, args=(output, cache, approved, stop),
                         daemon=True).start()
    try:
        server = make_server(args.host, args.port, app, server_class=ThreadingWSGIServer,
                             handler_class=QuietHandler.with_logger("devserver"))
    except OSError as exc:
        stop.set()
        print(f"devserver: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    with server:
        log.info("site and comment service on %s/ (comments under %s/, stored in %s)",
                 site_url, config.prefix, config.store)
        log.info("moderate at %s%s/moderation/ (accounts: .venv/bin/python -m comment_service moderators add NAME)",
                 site_url, config.prefix)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
