"""Command line: development server and moderation.

    python -m comment_service serve [--host 127.0.0.1] [--port 8001]
    python -m comment_service list [--state pending|approved|rejected|all] [--thread T]
    python -m comment_service show ID
    python -m comment_service approve ID
    python -m comment_service reject ID
    python -m comment_service delete ID
    python -m comment_service sweep [--max-age SECONDS]
    python -m comment_service reject ID [--reason KEY]      # a reason of the moderation charter
    python -m comment_service moderators add|passwd|remove|totp-reset NAME, moderators list
    python -m comment_service audit [--json] [--limit N]
    python -m comment_service notify [--once]                # mail the moderators when comments wait

Every change (approve, reject, delete, accounts) is written to the audit
log (``<store>/audit.jsonl``) with the actor ``cli:<system user>``.
Exit codes: 0 done, 1 comment not found, invalid id or damaged comment file,
2 usage or configuration error (argparse also exits with 2), 3 the disk
refused the change. A damaged comment file (not JSON, missing fields, in the
wrong place ...) is named on stderr and skipped by ``list``; ``show`` and the
changes refuse it with exit 1. ``sweep`` removes the files that writers killed
mid-write left in tmp/ (older than an hour by default).
The moderation commands only rename or remove files, atomically: they are
safe while the service runs. They read the store only through
``comment_service.store``, and COMMENTS_STORE (or --store), so they need no
secret.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from wsgiref.simple_server import make_server

from . import defaults
from .ops import personal_data
from .ops import admin, backup
from .rules import reasons
from .ops.audit import AuditLog
from .ops.cliout import EXIT_DISK, EXIT_OK, EXIT_USAGE, lookup_failed, safe
from .config import ConfigError, load_shared
from .web.devhttp import QuietHandler, ThreadingWSGIServer
from .store import (STATES, TMP_MAX_AGE, Comment, CommentStore, DamagedComment, InvalidId, NotFound,
                    StoreError, is_thread_id)



def _print_comment(c: Comment, full: bool = False) -> None:
    who = safe(c.name) + (f" <{safe(c.email)}>" if c.email else "")
    print(f"{c.id}  {c.created_at}  [{c.status}]  {who}")
    if full:
        print(f"thread: {c.thread}")
        if c.moderated_at:
            print(f"moderated: {c.moderated_at}")
        if c.reason:
            print(f"reason: {c.reason} ({reasons.label(c.reason)})")
        if c.signals:
            print(f"spam signals: {', '.join(safe(s) for s in c.signals)}")
    for line in safe(c.text).split("\n"):
        print(f"    {line}")


def cmd_serve(args) -> int:
    from .web.app import create_app
    from .config import ConfigError, load_config

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = load_config()
    except ConfigError as exc:
        print(f"comment_service: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    app = create_app(config)
    with make_server(args.host, args.port, app, server_class=ThreadingWSGIServer,
                     handler_class=QuietHandler) as server:
        print(f"comment service on http://{args.host}:{server.server_port}{config.prefix}/ "
              f"(store {config.store}, threads {config.threads_file})", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def _warn_damaged(path: Path, reason: str) -> None:
    print(f"warning: damaged comment file skipped: {safe(str(path))}: {safe(reason)}", file=sys.stderr)


def cmd_list(store: CommentStore, args) -> int:
    if args.thread and not is_thread_id(args.thread):
        print(f"invalid thread id: {safe(repr(args.thread))}", file=sys.stderr)
        return EXIT_USAGE
    state = None if args.state == "all" else args.state
    comments = store.list(state, args.thread)
    if not comments:
        print(f"no {args.state if args.state != 'all' else ''} comments".replace("  ", " "))
        return EXIT_OK
    by_thread: dict[str, list[Comment]] = {}
    for c in comments:
        by_thread.setdefault(c.thread, []).append(c)
    for thread in sorted(by_thread):
        items = by_thread[thread]
        print(f"== {thread} ({len(items)})")
        for c in items:
            _print_comment(c)
        print()
    return EXIT_OK


def cmd_one(store: CommentStore, args) -> int:
    try:
        if args.command == "show":
            _print_comment(store.get(args.id), full=True)
            return EXIT_OK
        if args.command == "delete":
            c = store.delete(args.id)
            AuditLog(store.root).append(admin.cli_actor(), "delete", comment_id=c.id, thread=c.thread, source="cli",
                                        previous=c.status)
            print(f"deleted {c.id} ({c.status}, thread {c.thread})")
            return EXIT_OK
        new_state = {"approve": "approved", "reject": "rejected"}[args.command]
        reason = getattr(args, "reason", None)
        previous = store.get(args.id).status
        c = store.move(args.id, new_state, reason=reason)
        AuditLog(store.root).append(admin.cli_actor(), args.command, comment_id=c.id, thread=c.thread, source="cli",
                                    previous=previous, **({"reason": reason} if reason else {}))
        print(f"{c.id} is now {new_state} (thread {c.thread})")
        return EXIT_OK
    except (InvalidId, NotFound, DamagedComment) as exc:
        return lookup_failed(exc, args.id)
    except StoreError as exc:
        print(f"cannot change the store: {exc}", file=sys.stderr)
        return EXIT_DISK


def cmd_notify(store_root: Path, args) -> int:
    from .ops.mailsettings import load_mail_settings
    from .ops.notify import Notifier
    from .web.threads import ThreadIndex

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_mail_settings()
    except ConfigError as exc:
        print(f"comment_service notify: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        threads = load_shared().threads_file
    except ConfigError as exc:
        print(f"comment_service notify: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        mailer = commenter_mailer(store_root, settings, ThreadIndex(threads))
    except ConfigError as exc:
        print(f"comment_service notify: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from .accessibility.mails import RequesterMailer  # the accessibility requesters' mails
    notifier = Notifier(store_root, settings, ThreadIndex(threads),
                        also=(mailer.tick, RequesterMailer(store_root, settings).tick))
    if args.once:
        notifier.round()
        return EXIT_OK
    try:
        notifier.run()
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def commenter_mailer(store_root: Path, settings, threads):
    """The commenters' mails (comment_service/commenters/): they need the secret and the public address."""
    from .commenters.sender import CommenterMailer, LinkSettings
    from .config import load_config

    config = load_config()
    return CommenterMailer(store_root, settings, LinkSettings(config.secret, config.site_url, config.prefix), threads)


def cmd_sweep(store: CommentStore, args) -> int:
    removed = store.sweep_tmp(args.max_age)
    for path in removed:
        print(f"removed {safe(str(path))}")
    print(f"{len(removed)} file(s) older than {args.max_age:g} s removed from {safe(str(store.tmp))}")
    return EXIT_OK


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds >= 60:  # also refuses nan: a live write must never be swept
        raise argparse.ArgumentTypeError("at least 60 seconds, so that no live write is swept")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m comment_service",
                                     description="Comment service: development server and moderation.")
    store_help = f"store folder (default: $COMMENTS_STORE or {defaults.STORE})"
    parser.add_argument("--store", type=Path, default=None, help=store_help)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--store", type=Path, default=argparse.SUPPRESS, help=store_help)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the development server (wsgiref, threaded)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=defaults.SERVE_PORT)
    ls = sub.add_parser("list", help="list comments grouped by thread", parents=[common])
    ls.add_argument("--state", choices=(*STATES, "all"), default="pending")
    ls.add_argument("--thread")
    for name, text in (("show", "show one comment"), ("approve", "approve a comment"),
                       ("reject", "reject a comment"), ("delete", "delete a comment for good")):
        p = sub.add_parser(name, help=text, parents=[common])
        p.add_argument("id")
        if name == "reject":
            p.add_argument("--reason", choices=sorted(reasons.REASONS), default=None,
                           help="why, from the moderation charter: " + "; ".join(
                               f"{k} = {v}" for k, v in reasons.REASONS.items()))
    sweep = sub.add_parser("sweep", help="remove files left in tmp/ by interrupted writes", parents=[common])
    sweep.add_argument("--max-age", type=_seconds, default=TMP_MAX_AGE,
                       help=f"only files older than this, in seconds (default {TMP_MAX_AGE:g})")
    personal_data.add_parser(sub, common)  # purge, export, erase (personal_data.py)
    backup.add_parser(sub, common)  # backup DEST, restore SRC (backup.py)
    admin.add_parsers(sub, common)
    notify = sub.add_parser("notify", help="mail the moderators when comments wait (a loop)", parents=[common])
    notify.add_argument("--once", action="store_true", help="one round, then exit (e.g. from a timer)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return cmd_serve(args)
    try:  # the service's loader: the same variable and default as the service and the site
        root = Path(os.path.abspath(args.store)) if args.store else load_shared().store
        store = CommentStore(root, on_damaged=_warn_damaged)
    except ConfigError as exc:
        print(f"comment_service: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # Damaged files are reported once, by _warn_damaged: keep the store's own log
    # warnings quiet (unhandled, Python would print them on stderr too).
    logging.getLogger("comment_service.store").addHandler(logging.NullHandler())
    if args.command == "list":
        return cmd_list(store, args)
    if args.command == "sweep":
        return cmd_sweep(store, args)
    if args.command in ("backup", "restore"):
        return backup.run(store.root, args)
    if args.command == "personal-data":
        return personal_data.run(store, args)
    if args.command == "moderators":
        return admin.cmd_moderators(store.root, args)
    if args.command == "audit":
        return admin.cmd_audit(store.root, args)
    if args.command == "notify":
        return cmd_notify(store.root, args)
    return cmd_one(store, args)


if __name__ == "__main__":
    sys.exit(main())
