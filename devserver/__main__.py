"""``python -m devserver``: build the site, serve it with the comment service,
rebuild on changes (see the package docstring)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from wsgiref.simple_server import make_server

from comment_service import defaults
from comment_service.web.devhttp import QuietHandler, ThreadingWSGIServer
from publisher import STATUS_FILE

from .refusal import RefusalPage
from .static import Mount, SecurityHeaders, StaticSite

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("devserver")
FIRST_BUILD_TIMEOUT = 600.0


def start_publisher(output: Path, cache: Path, watch: bool,
                    content: Path | None = None) -> subprocess.Popen:
    """The publisher (``python -m publisher --dev``) as a child process: it builds
    the site into ``output/releases/`` and switches ``output/current``, then
    republishes on every change (only the pages a comment change shows)."""
    (output / STATUS_FILE).unlink(missing_ok=True)
    command = [sys.executable, "-m", "publisher", "--settings", "pelicanconf.py",
               "--root", str(output), "--cache", str(cache), "--keep", "2",
               "--dev" if watch else "--once"]
    if content is not None:
        command += ["--content", str(content)]
    # The terminal's Ctrl-C reaches every process of the foreground group: the
    # publisher is born ignoring it (an ignored signal stays ignored across exec,
    # and Python then installs no KeyboardInterrupt for it), so that it is
    # stopped once, by the launcher's SIGTERM, and never twice mid-shutdown.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.Popen(command, cwd=ROOT)
    finally:
        signal.signal(signal.SIGINT, previous)


def wait_first_publication(child: subprocess.Popen, output: Path) -> None:
    """Until the first publication is done (or refused: every page then shows
    the build's report, ``refusal.py``)."""
    deadline = time.monotonic() + FIRST_BUILD_TIMEOUT
    while not (output / STATUS_FILE).exists() and child.poll() is None:
        if time.monotonic() > deadline:
            log.error("la première construction prend trop de temps : le site est servi tel quel")
            return
        time.sleep(0.1)
    if not (output / "current").exists():
        log.error("le site n'a pas été construit : corrigez les erreurs ci-dessus (chaque page "
                  "de l'aperçu les affiche aussi) et enregistrez")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devserver",
                                     description="Site + comment service, for development.")
    parser.add_argument("--host", default=os.environ.get("HOST") or defaults.DEV_HOST)
    # A string default goes through `type`: a bad PORT is a usage error, not a traceback.
    parser.add_argument("--port", type=int, default=os.environ.get("PORT") or str(defaults.DEV_PORT))
    parser.add_argument("--output", default="var/dev-site",
                        help="where the publisher puts the releases and the `current` link")
    parser.add_argument("--cache", default="cache", help="Pelican's content cache folder")
    parser.add_argument("--content", default=None,
                        help="the content folder (default: the settings' PATH, content/)")
    parser.add_argument("--no-watch", action="store_true", help="build once, no rebuilds")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    os.chdir(ROOT)
    output = (ROOT / args.output).resolve()
    cache = (ROOT / args.cache).resolve()
    site_url = f"http://{args.host}:{args.port}"
    # The publisher (a child process) and the service read the same variables.
    os.environ.setdefault("COMMENTS_SITE_URL", site_url)
    os.environ.setdefault("SITE_ABSOLUTE_URL", site_url)
    os.environ.setdefault("COMMENTS_THREADS_FILE",
                          str(output / "current" / defaults.THREADS_MANIFEST))
    os.environ.setdefault("SITE_ROOT", str(output))  # the console's « Publications »

    from comment_service.web.app import create_app
    from comment_service.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as exc:
        print(f"devserver : réglage invalide : {exc}", file=sys.stderr)
        return 2
    output.mkdir(parents=True, exist_ok=True)
    site = RefusalPage(StaticSite(output / "current"), output)  # a refused build: its report
    app = SecurityHeaders(Mount(config.prefix, create_app(config), site))
    try:
        server = make_server(args.host, args.port, app, server_class=ThreadingWSGIServer,
                             handler_class=QuietHandler.with_logger("devserver"))
    except OSError as exc:
        print(f"devserver : impossible d'écouter sur {args.host}:{args.port} : {exc.strerror or exc} "
              "(un autre « make serve » tourne-t-il ? essayez make serve PORT=8080)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)  # so that the publisher is stopped too
    signal.signal(signal.SIGINT, _interrupt)
    content = (ROOT / args.content).resolve() if args.content else None
    publisher = start_publisher(output, cache, watch=not args.no_watch, content=content)
    with server:
        try:
            wait_first_publication(publisher, output)
            log.info("site et service de commentaires sur %s/ (commentaires sous %s/, enregistrés dans %s)",
                     site_url, config.prefix, config.store)
            log.info("modération sur %s%s/moderation/ (comptes : .venv/bin/python -m comment_service "
                     "moderators add NAME)", site_url, config.prefix)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop_child(publisher)
    print(STOPPED, flush=True)
    return 0


STOPPED = "Arrêté : le site et le service de commentaires ne sont plus servis."


def _interrupt(_signum, _frame):
    """The first Ctrl-C or SIGTERM stops the launcher; any later one is ignored
    (a second Ctrl-C while the publisher stops must not break the shutdown)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def stop_child(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


if __name__ == "__main__":
    sys.exit(main())
