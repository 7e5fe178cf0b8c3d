"""Command line for the moderators' accounts and the audit log.

    python -m comment_service moderators add NAME      # password prompted (or read from stdin)
    python -m comment_service moderators passwd NAME
    python -m comment_service moderators remove NAME
    python -m comment_service moderators list
    python -m comment_service moderators totp-reset NAME   # the second factor is enrolled again
    python -m comment_service audit [--json] [--limit N]

The password is asked twice with ``getpass`` on a terminal; otherwise the
first line of standard input is the password (so that scripts and tests can
create accounts). It is never an argument (arguments show in ``ps``) nor an
environment variable. Every change is written to the audit log with the
actor ``cli:<system user>``.
"""

from __future__ import annotations

import getpass
import json
import os
import pwd
import sys
from pathlib import Path

from .audit import AuditLog
from .cliout import EXIT_NOT_FOUND as EXIT_FAILED
from .cliout import EXIT_OK, safe
from .console.accounts import AccountError, Accounts
from .console.sessions import SESSIONS_NAME, Sessions



def cli_actor() -> str:
    try:
        return "cli:" + pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"cli:uid{os.getuid()}"


def read_password(stdin=None) -> str:
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise AccountError("the two passwords differ")
        return first
    line = stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def add_parsers(sub, common) -> None:
    mod = sub.add_parser("moderators", help="moderator accounts of the web console", parents=[common])
    msub = mod.add_subparsers(dest="moderators_command", required=True)
    for name, text in (("add", "create an account (password prompted, or read from stdin)"),
                       ("passwd", "change an account's password"), ("remove", "remove an account"),
                       ("totp-reset", "remove an account's second factor (to enrol it again)")):
        p = msub.add_parser(name, help=text)
        p.add_argument("name")
    msub.add_parser("list", help="list the accounts")
    audit = sub.add_parser("audit", help="print the audit log (who did what, when, from where)", parents=[common])
    audit.add_argument("--json", action="store_true", help="one JSON object per line, as stored")
    audit.add_argument("--limit", type=int, default=0, help="only the last N entries")


def cmd_moderators(store_root, args) -> int:
    accounts, audit, command = Accounts(store_root), AuditLog(store_root), args.moderators_command
    try:
        if command == "list":
            for account in sorted(accounts.load().values(), key=lambda a: a.name):
                factor = "TOTP" if account.totp else "password only"
                print(f"{account.name}  created {account.created_at or '?'}  {factor}")
            return EXIT_OK
        if command in ("add", "passwd"):
            password = read_password()
            (accounts.add if command == "add" else accounts.passwd)(args.name, password)
        elif command == "remove":
            accounts.remove(args.name)
        else:
            accounts.set_totp(args.name, None)
    except AccountError as exc:
        print(f"moderators {command}: {safe(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    if command in ("passwd", "remove", "totp-reset"):  # its open sessions end
        Sessions(Path(store_root) / SESSIONS_NAME, 0, 0).end_account(args.name)
    audit.append(cli_actor(), f"account-{command}", source="cli", account=args.name)
    print({"add": "account {} created", "passwd": "password of {} changed", "remove": "account {} removed",
           "totp-reset": "second factor of {} removed"}[command].format(args.name))
    return EXIT_OK


def cmd_audit(store_root, args) -> int:
    entries = list(AuditLog(store_root).entries())
    if args.limit > 0:
        entries = entries[-args.limit:]
    for entry in entries:
        if args.json:
            print(json.dumps(entry, ensure_ascii=False))
            continue
        rest = {k: v for k, v in entry.items() if k not in ("at", "actor", "action", "comment_id", "thread")}
        extra = " ".join(f"{k}={safe(v)}" for k, v in rest.items())
        target = " ".join(safe(entry[k]) for k in ("comment_id", "thread") if entry.get(k))
        print(f"{entry.get('at', '?')}  {safe(entry.get('actor', '?'))}  {safe(entry.get('action', '?'))}"
              f"  {target}  {extra}".rstrip())
    return EXIT_OK
