"""``python -m publisher [--settings publishconf.py] [--root SITE_ROOT] [--dev] [--once]``

Publishes the site once (a full release), then watches the comment store and
the content and republishes what changed, until stopped (SIGTERM, Ctrl-C).
``--once``: one full publication, then exit (a ``git pull`` hook or a timer
without the long-running process). ``--dev``: also watch the theme, the
plugins, the comment-form component and the settings (``make serve`` runs it
with ``--settings pelicanconf.py``). See docs/publishing.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import sys
import threading
import time

from release import BuildFailed, ReleaseError, load_options
from release.__main__ import add_publish_options, add_site_options

from .provenance import Provenance
from .publish import STATUS_FILE, Publisher, Result
from .watch import Change, Pending, Sources, watch

RETRY_SECONDS = 1.0  # another publication (make publish, a rollback) holds the lock


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m publisher",
        description="Publier le site et le republier à chaque changement (commentaires "
                    "approuvés, réponses, contenu, articles programmés).")
    add_site_options(parser)
    add_publish_options(parser)
    parser.add_argument("--cache", help="cache de contenu de Pelican (défaut : SITE_ROOT/cache)")
    parser.add_argument("--dev", action="store_true",
                        help="développement : surveiller aussi le thème, les plugins, les réglages")
    parser.add_argument("--once", action="store_true",
                        help="une publication complète, puis quitter")
    return parser.parse_args(argv)


def say(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"{stamp} publisher : {message}", flush=True)


class Loop:
    """Takes pending changes and publishes them, one publication at a time."""

    def __init__(self, publisher: Publisher, pending: Pending, stop: threading.Event):
        self.publisher, self.pending, self.stop = publisher, pending, stop
        self.failed = Change()  # what a refused publication did not show yet
        self.provenance = Provenance(publisher.options.root, publisher.options.content)

    def publish(self, change: Change) -> Result | None:
        change.merge(self.failed)
        self.failed = Change()
        try:
            if change.rebuild or not (change.threads or change.edited or change.search):
                result = self.publisher.full()
            elif change.edited:
                result = self.publisher.edit(change.edited, change.threads)
                if result.kind == "edit":  # the search index follows, next
                    self.pending.add(Change(search=True))
            elif change.threads:
                result = self.publisher.comments(change.threads)
                if change.search:
                    self.pending.add(Change(search=True))
            else:
                result = self.publisher.search()
        except ReleaseError as exc:  # the lock is held: try again shortly
            say(f"{exc}")
            self.pending.add(change)
            time.sleep(RETRY_SECONDS)
            return None
        except BuildFailed as exc:
            self.failed = change
            say(f"{exc}\npublication refusée : le site en ligne n'a pas changé")
            self.status(f"refused\n{exc}")
            self.journal("refused", "edit" if change.edited and not change.rebuild else "full",
                         str(exc), change.edited)
            return None
        what = {"comments": f"{len(result.replaced)} fichier(s) remplacé(s) pour "
                            f"{len(change.threads)} fil(s) de commentaires",
                "edit": f"{len(result.replaced)} fichier(s) remplacé(s) pour "
                        f"{len(change.edited)} texte(s) modifié(s) ; l'index de recherche suit",
                "search": f"index de recherche à jour ({len(result.replaced)} fichier(s))",
                }.get(result.kind, "nouvelle release")
        say(f"publié en {result.seconds:.2f} s : {what} (release {result.release})")
        if result.kind == "full" and self.publisher.session is not None:
            for line in self.publisher.session.waiting_lines:  # plugins/schedule: what waits
                say(line)
        self.status(f"ok {result.release}")
        self.journal("published", result.kind, result.release, change.edited)
        return result

    def journal(self, outcome: str, kind: str, detail: str, edited) -> None:
        """One line in the publications' journal (never stops a publication)."""
        try:
            if outcome == "published":
                self.provenance.published(kind, detail, edited)
            else:
                self.provenance.refused(kind, detail, edited)
        except OSError as exc:
            say(f"journal des publications impossible à écrire : {exc}")

    def status(self, text: str) -> None:
        root = self.publisher.options.root
        tmp = root / (STATUS_FILE + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        os.replace(tmp, root / STATUS_FILE)

    def wait(self) -> Change:
        """The next change, or a full rebuild when a scheduled article comes due."""
        next_due = self.publisher.next_due
        timeout = 60.0
        if next_due is not None:
            left = (next_due - dt.datetime.now(dt.timezone.utc)).total_seconds()
            timeout = max(0.0, min(timeout, left))
        change = self.pending.take(timeout)
        if not change and self.publisher.due():
            say("un texte programmé arrive à sa date, ou un texte à retirer à son heure de retrait")
            change.rebuild = True
        return change

    def run(self) -> bool:
        """Until stop; True when the process must restart (code or settings changed)."""
        self.publish(Change(rebuild=True))
        while not self.stop.is_set():
            change = self.wait()
            if change.restart:
                return True
            checks, change.checks = change.checks, []
            if change:
                self.publish(change)
            for request in checks:  # after what was pending: against the newest kept build
                self.check(request)
        return False

    def check(self, request) -> None:
        """Answer a push's check (``precheck.py``), never failing the loop."""
        from .checksocket import COLD
        from .precheck import check

        if request.abandoned:
            return
        if self.failed:
            request.reply(COLD, "la dernière publication a été refusée")
            return
        try:
            outcome, report = check(self.publisher, request.texts)
        except Exception as exc:  # the hook's cold check decides instead
            outcome, report = COLD, f"{type(exc).__name__} : {exc}"
        say(f"vérification d'un push : {outcome}")
        request.reply(outcome, report)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        options = load_options(args.settings, args.content, args.root, args.keep)
    except ReleaseError as exc:
        print(f"publisher : {exc}", file=sys.stderr)
        return 2
    from .build import read

    try:
        store = read(options.settings_file, {"PATH": str(options.content)})["COMMENTS_STORE"]
    except Exception as exc:  # a settings file is Python: anything can go wrong
        print(f"publisher : réglages illisibles ({args.settings}) : {exc}", file=sys.stderr)
        return 2
    stopping = Stopping()
    signal.signal(signal.SIGTERM, stopping.handler)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # ignored under the launcher
        signal.signal(signal.SIGINT, stopping.handler)
    try:
        return run(args, options, store)
    except KeyboardInterrupt:
        if stopping.signum != signal.SIGTERM:  # Ctrl-C in a terminal; systemd and the launcher say it
            say("arrêté")
        return 1 if args.once else 0  # --once: that publication did not happen


class Stopping:
    """The first SIGTERM or Ctrl-C stops the publisher (KeyboardInterrupt, wherever
    it is: a build leaves the served release as it was); later ones are ignored,
    so that the shutdown itself is never interrupted."""

    def __init__(self):
        self.signum = None

    def handler(self, signum, _frame):
        self.signum = signum
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise KeyboardInterrupt


def run(args, options, store) -> int:
    publisher = Publisher(options, cache=args.cache and os.path.abspath(args.cache))
    pending, stop = Pending(), threading.Event()
    loop = Loop(publisher, pending, stop)
    if args.once:
        return 0 if loop.publish(Change(rebuild=True)) else 1
    sources = Sources(store, options.content, args.dev)
    sources.paths()  # the store's folders exist before the watcher starts
    threading.Thread(target=watch, args=(sources, pending, stop), daemon=True).start()
    from .checksocket import serve

    if serve(options.root, options.content, lambda r: pending.add(Change(checks=[r])),
             stop) is None:
        say("vérification des push par le publisher indisponible (socket impossible à créer)")
    say(f"surveille {sources.describe()}")
    try:
        restart = loop.run()
    finally:
        stop.set()
        pending.wake()
    if restart:
        say("code ou réglages modifiés : redémarrage")
        os.execv(sys.executable, [sys.executable, "-m", "publisher", *sys.argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
