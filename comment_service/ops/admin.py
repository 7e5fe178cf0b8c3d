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
from .. import defaults
from ..console.accounts import AccountError, Accounts, check_password
from ..console.sessions import SESSIONS_NAME, Sessions



def cli_actor() -> str:
    try:
        return "cli:" + pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"cli:uid{os.getuid()}"


PASSWORD_RULE = (f"Le mot de passe doit compter au moins {defaults.PASSWORD_MIN_LENGTH} caractères "
                 "(une phrase de plusieurs mots convient), sans espace au début ni à la fin. "
                 "Rien ne s'affiche pendant la saisie.")
PASSWORD_TRIES = 3


def read_password(stdin=None, out=None) -> str:
    """On a terminal: the rule first, then the password asked again until it
    follows the rule and is typed twice the same (at most PASSWORD_TRIES times).
    Otherwise the first line of standard input, checked once."""
    stdin, out = stdin or sys.stdin, out or sys.stderr
    if not stdin.isatty():
        line = stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        check_password(password)
        return password
    print(PASSWORD_RULE, file=out, flush=True)
    for _ in range(PASSWORD_TRIES):
        first = getpass.getpass("Mot de passe : ")
        try:
            check_password(first)
        except AccountError as exc:
            print(f"{exc} Recommencez.", file=out, flush=True)
            continue
        if getpass.getpass("Mot de passe, encore une fois : ") == first:
            return first
        print("Les deux saisies diffèrent. Recommencez.", file=out, flush=True)
    raise AccountError(f"Abandon après {PASSWORD_TRIES} essais : aucun compte n'a été modifié.")


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
            if command == "add":
                accounts.check_new(args.name)  # before the password is asked
            password = read_password()
            (accounts.add if command == "add" else accounts.passwd)(args.name, password)
        elif command == "remove":
            accounts.remove(args.name)
        else:
            accounts.set_totp(args.name, None)
    except AccountError as exc:
        print(f"moderators {command} : {safe(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    except (KeyboardInterrupt, EOFError):
        print(f"\nmoderators {command} : abandon, aucun compte n'a été modifié.", file=sys.stderr)
        return EXIT_FAILED
    if command in ("passwd", "remove", "totp-reset"):  # its open sessions end
        Sessions(Path(store_root) / SESSIONS_NAME, 0, 0).end_account(args.name)
    audit.append(cli_actor(), f"account-{command}", source="cli", account=args.name)
    print({"add": "compte {} créé", "passwd": "mot de passe de {} changé", "remove": "compte {} supprimé",
           "totp-reset": "second facteur de {} supprimé (à enrôler de nouveau)"}[command].format(args.name))
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
