"""Command line: development server and moderation.

    python -m comment_service serve [--host 127.0.0.1] [--port 8001]
    python -m comment_service list [--state pending|approved|rejected|all] [--thread T]
    python -m comment_service show ID
    python -m comment_service approve ID
    python -m comment_service reject ID
    python -m comment_service delete ID

Exit codes: 0 done, 1 comment not found or invalid id, 2 usage or configuration
error (argparse also exits with 2), 3 the disk refused the change.
The moderation commands only rename or remove files, atomically: they are
safe while the service runs. They read COMMENTS_STORE (or --store) only, so
they need no secret.
"""

from __future__ import annotations

import argparse
import logging
import sys
import unicodedata
from pathlib import Path
from wsgiref.simple_server import make_server

from . import defaults
from .config import ConfigError, load_shared
from .devhttp import QuietHandler, ThreadingWSGIServer
from .store import STATES, Comment, CommentStore, InvalidId, NotFound, StoreError, THREAD_RE

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DISK = 0, 1, 2, 3


def _safe(text: str) -> str:
    """Make stored text harmless on a terminal (no escape sequences)."""
    return "".join(c if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf") else f"\\u{ord(c):04x}"
                   for c in text)


def _print_comment(c: Comment, full: bool = False) -> None:
    who = _safe(c.name) + (f" <{_safe(c.email)}>" if c.email else "")
    print(f"{c.id}  {c.created_at}  [{c.status}]  {who}")
    if full:
        print(f"thread: {c.thread}")
    for line in _safe(c.text).split("\n"):
        print(f"    {line}")


def cmd_serve(args) -> int:
    from .app import create_app
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


def cmd_list(store: CommentStore, args) -> int:
    if args.thread and not THREAD_RE.match(args.thread):
        print(f"invalid thread id: {args.thread!r}", file=sys.stderr)
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
            print(f"deleted {c.id} ({c.status}, thread {c.thread})")
            return EXIT_OK
        new_state = {"approve": "approved", "reject": "rejected"}[args.command]
        c = store.move(args.id, new_state)
        print(f"{c.id} is now {new_state} (thread {c.thread})")
        return EXIT_OK
    except InvalidId:
        print(f"invalid comment id: {args.id!r} (expected e.g. 20261126T101530123456Z-0123456789ab)",
              file=sys.stderr)
        return EXIT_NOT_FOUND
    except NotFound:
        print(f"comment not found: {args.id}", file=sys.stderr)
        return EXIT_NOT_FOUND
    except StoreError as exc:
        print(f"cannot change the store: {exc}", file=sys.stderr)
        return EXIT_DISK


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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return cmd_serve(args)
    try:  # the service's loader: the same variable and default as the service and the site
        store = CommentStore(args.store or load_shared().store)
    except ConfigError as exc:
        print(f"comment_service: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "list":
        return cmd_list(store, args)
    return cmd_one(store, args)


if __name__ == "__main__":
    sys.exit(main())
