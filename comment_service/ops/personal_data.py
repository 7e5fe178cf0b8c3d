"""Personal data of commenters: retention, access and erasure (RGPD).

    python -m comment_service personal-data purge
    python -m comment_service personal-data export (--email ADDRESS | --id COMMENT_ID)
    python -m comment_service personal-data erase (--email ADDRESS | --id COMMENT_ID) [--anonymise]

* ``purge`` applies the retention settings (``load_shared()``, defaults in
  ``defaults.py``): the e-mail address of an approved or rejected comment is
  removed ``COMMENTS_EMAIL_RETENTION_DAYS`` after its moderation
  (``moderated_at``; ``created_at`` for a file from before that field); a
  rejected comment (and its reply) is deleted
  ``COMMENTS_REJECTED_RETENTION_DAYS`` after its rejection; audit entries
  older than ``COMMENTS_AUDIT_RETENTION_DAYS`` are dropped; the guard's
  expired rate-limit hashes are deleted; ``tmp/`` is swept. Pending comments
  keep their address until moderated. Run it daily (a timer) and from the
  publisher; a second run changes nothing.
* ``export`` prints, as JSON, every comment (any state), reply, subscription and audit entry
  held for the address (or the comment id, for a commenter who gave none).
* ``erase`` deletes those comments and their replies (``--anonymise``: keeps
  the comments, without the address and under the name ``ANONYMOUS_NAME``)
  and removes the address (and, for the comments concerned, the name) from
  the audit entries, which keep their action.

Every change goes through the store (``redaction.amend``, ``delete``: the
moderation lock, atomic rewrites), so the commands are safe while the service
runs. Each run is recorded in the audit log by counts and comment ids, never
with the address or a name. Exit codes as the other commands: 0 done,
1 comment id not found, 2 usage or configuration error, 3 the disk refused.
"""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from ..accessibility import personal as accessibility
from .audit import AUDIT_MODE, SERVICE_FIELDS, AuditError, AuditLog
from .audit import locked as audit_locked
from ..commenters import retention as subscription_retention
from ..commenters.records import Subscriptions
from .cliout import EXIT_DISK, EXIT_OK, EXIT_USAGE, lookup_failed
from ..config import EMAIL_RE, ConfigError, Shared, load_shared
from ..guard.sqlite import Guard, GuardError
from ..reports import retention as report_retention
from ..rules.messages import ANONYMOUS_NAME
from ..store import LOCK_NAME, Comment, CommentStore, DamagedComment, InvalidId, NotFound, StoreError
from ..store.files import fsync_dir, open_lock, write_tmp
from ..store.layout import Conflict
from ..store.redaction import amend

ERASED = "[effacé]"


def actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli:unknown"


def same_address(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold() != ""


def moderated(comment: Comment) -> datetime:
    return comment.moderated or comment.created


# --- the audit log ----------------------------------------------------------------

def _transform_lines(raw: bytes, transform) -> tuple[list[bytes], int]:
    """Lines after ``transform`` (None drops an entry); unchanged and unreadable
    lines keep their bytes. Returns (lines, number of entries changed or dropped)."""
    out, changed = [], 0
    for line in raw.splitlines(keepends=True):
        try:
            entry = json.loads(line.decode("utf-8"))
        except ValueError:
            out.append(line)
            continue
        new = transform(entry) if isinstance(entry, dict) else entry
        if new == entry:
            out.append(line)
            continue
        changed += 1
        if new is not None:
            out.append((json.dumps(new, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass"))
    return out, changed


def rewrite_audit(store: CommentStore, transform) -> int:
    """Rewrite ``<store>/audit.jsonl`` through ``transform`` (entry -> entry or None),
    atomically (tmp/, fsync, rename), under the moderation lock and the audit
    lock held exclusively: appends wait for the rename, then go to the new
    file (none is lost). Untouched when nothing changes. Returns the entries
    changed or dropped."""
    path = AuditLog(store.root).path
    if not path.exists():
        return 0
    fd = open_lock(store.root / LOCK_NAME)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with audit_locked(store.root, exclusive=True):
            lines, changed = _transform_lines(path.read_bytes(), transform)
            if not changed:
                return 0
            tmp = write_tmp(store.tmp, b"".join(lines), "audit")
            try:
                os.chmod(tmp, AUDIT_MODE)
                os.replace(tmp, path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            fsync_dir(path.parent)
            return changed
    finally:
        os.close(fd)


# --- purge ------------------------------------------------------------------------

@dataclass
class PurgeReport:
    emails_removed: list[str] = field(default_factory=list)
    rejected_deleted: list[str] = field(default_factory=list)
    audit_entries_dropped: int = 0
    guard_hits_pruned: int = 0
    tmp_swept: int = 0
    subscriptions_removed: list[str] = field(default_factory=list)  # commenters/retention.py
    accessibility_redacted: list[str] = field(default_factory=list)  # accessibility/personal.py
    report_messages_cleared: int = 0  # readers' reports (reports/retention.py)
    skipped: list[str] = field(default_factory=list)  # moved or damaged meanwhile: next run


def purge(store: CommentStore, shared: Shared, now: datetime) -> PurgeReport:
    report = PurgeReport()
    email_cutoff = now - timedelta(days=shared.email_retention_days)
    rejected_cutoff = now - timedelta(days=shared.rejected_retention_days)
    for comment in store.list("rejected"):
        if moderated(comment) <= rejected_cutoff:
            try:
                store.delete(comment.id, expect="rejected")
                report.rejected_deleted.append(comment.id)
            except (NotFound, Conflict, DamagedComment):
                report.skipped.append(comment.id)
    for state in ("approved", "rejected"):
        for comment in store.list(state):
            if comment.email and moderated(comment) <= email_cutoff:
                try:
                    if amend(store, comment.id, email="", expect_state=state) is not None:
                        report.emails_removed.append(comment.id)
                except (NotFound, Conflict, DamagedComment):
                    report.skipped.append(comment.id)
    report.accessibility_redacted = accessibility.purge(store.root, shared.email_retention_days, now)
    report.subscriptions_removed, emails = subscription_retention.purge(store, shared.notify_window_days, now)
    report.emails_removed += [c for c in emails if c not in report.emails_removed]
    report.report_messages_cleared = report_retention.purge(store, shared.email_retention_days, now)
    audit_cutoff = (now - timedelta(days=shared.audit_retention_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    scrub = accessibility.audit_scrubber(report.accessibility_redacted, ERASED)
    report.audit_entries_dropped = rewrite_audit(
        store, lambda entry: None if str(entry.get("at", "")) < audit_cutoff else scrub(entry))
    guard_file = store.root / "guard.sqlite3"
    if guard_file.exists():
        report.guard_hits_pruned = Guard(guard_file).prune(now.timestamp())
    report.tmp_swept = len(store.sweep_tmp())
    return report


# --- export and erase -------------------------------------------------------------

def held_for(store: CommentStore, email: str | None, comment_id: str | None) -> list[Comment]:
    """Every comment (all states) of this address, or the one comment with this id."""
    if comment_id is not None:
        return [store.get(comment_id)]
    return [c for c in store.list(None) if same_address(c.email, email or "")]


def _mentions(entry: dict, email: str | None, ids: set[str]) -> bool:
    if entry.get("comment_id") in ids:
        return True
    return bool(email) and email.strip().casefold() in json.dumps(entry, ensure_ascii=False).casefold()


def export(store: CommentStore, email: str | None, comment_id: str | None, now: datetime) -> dict:
    comments = held_for(store, email, comment_id)
    ids = {c.id for c in comments}
    replies = [store.reply_for(c.id) for c in comments]
    return {
        "demande": {"email": email} if email else {"commentaire_id": comment_id},
        "date": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commentaires": [c.to_dict() for c in comments],
        "reponses": [asdict(r) for r in replies if r is not None],
        "demandes_accessibilite": accessibility.export(store.root, email),
        "courriels_de_suivi": [asdict(s) for s in map(Subscriptions(store).get, sorted(ids)) if s is not None],
        "journal_de_moderation": [e for e in AuditLog(store.root).entries() if _mentions(e, email, ids)],
        "limitation_des_envois": ("Les adresses IP ne sont pas conservées : seule une empreinte chiffrée, "
                                  "renouvelée chaque jour, est gardée le temps de la fenêtre de limitation."),
    }


def _scrubber(email: str | None, names_by_id: dict[str, str]):
    """An audit transform: the address out of every entry, the name out of the erased comments' ones,
    in the fields that can hold a commenter's data only (not ``audit.SERVICE_FIELDS``)."""
    needle = (email or "").strip().casefold()

    def clean(value, name):
        if isinstance(value, str):
            if needle and needle in value.casefold():
                return ERASED
            return ERASED if name and value == name else value
        if isinstance(value, list):
            return [clean(v, name) for v in value]
        if isinstance(value, dict):
            return {k: clean(v, name) for k, v in value.items()}
        return value

    def transform(entry: dict) -> dict:
        name = names_by_id.get(entry.get("comment_id"))
        return {k: (v if k in SERVICE_FIELDS else clean(v, name)) for k, v in entry.items()}

    return transform


@dataclass
class EraseReport:
    deleted: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    replies_removed: int = 0
    published_threads: set[str] = field(default_factory=set)  # pages to publish again
    audit_entries_changed: int = 0
    accessibility_redacted: list[str] = field(default_factory=list)  # accessibility/personal.py


def erase(store: CommentStore, email: str | None, comment_id: str | None, anonymise: bool) -> EraseReport:
    report = EraseReport()
    comments = held_for(store, email, comment_id)
    for comment in comments:
        if comment.status == "approved":
            report.published_threads.add(comment.thread)
        if anonymise:
            if amend(store, comment.id, email="", name=ANONYMOUS_NAME) is not None:
                report.anonymised.append(comment.id)
        else:
            had_reply = store.reply_for(comment.id) is not None
            store.delete(comment.id)
            report.deleted.append(comment.id)
            report.replies_removed += had_reply
        Subscriptions(store).remove(comment.id)  # its notifications end with the address
    report_retention.erase(store, [c.id for c in comments])  # readers' reports about them: details emptied
    names = {c.id: c.name for c in comments}
    report.accessibility_redacted = accessibility.erase(store.root, email)
    scrub, of_requests = _scrubber(email, names), accessibility.audit_scrubber(report.accessibility_redacted, ERASED)
    report.audit_entries_changed = rewrite_audit(store, lambda entry: of_requests(scrub(entry)))
    store.sweep_tmp()
    return report


# --- command line -----------------------------------------------------------------

def add_parser(subparsers, common) -> None:
    """The ``personal-data`` command and its three subcommands."""
    pd = subparsers.add_parser("personal-data", help="retention, access and erasure of commenters' data")
    sub = pd.add_subparsers(dest="pd_command", required=True)
    sub.add_parser("purge", parents=[common], help="apply the retention periods (idempotent)")
    for name, text in (("export", "print as JSON everything held for an address or a comment"),
                       ("erase", "delete (or anonymise) everything held for an address or a comment")):
        p = sub.add_parser(name, parents=[common], help=text)
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument("--email", help="the commenter's e-mail address")
        who.add_argument("--id", dest="comment_id", help="a comment id (a commenter who gave no address)")
        if name == "erase":
            p.add_argument("--anonymise", action="store_true",
                           help=f"keep the comments, without the address and under the name {ANONYMOUS_NAME!r}")


def _record(action: str, **details) -> None:
    try:
        AuditLog(details.pop("root")).append(actor(), action, source="cli", **details)
    except AuditError as exc:
        print(f"warning: the audit log could not record this run: {exc}", file=sys.stderr)


def run(store: CommentStore, args) -> int:
    try:
        shared = load_shared()
    except ConfigError as exc:
        print(f"comment_service: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    email = getattr(args, "email", None)
    if email is not None and not EMAIL_RE.fullmatch(email.strip()):
        print("not an e-mail address (expected e.g. prenom.nom@example.org)", file=sys.stderr)
        return EXIT_USAGE
    now = datetime.now(timezone.utc)
    try:
        if args.pd_command == "purge":
            return _run_purge(store, shared, now)
        if args.pd_command == "export":
            data = export(store, email, args.comment_id, now)
            print(json.dumps(data, ensure_ascii=False, indent=2))
            _record("personal-data-export", root=store.root, by="email" if email else "id",
                    comments=len(data["commentaires"]))
            return EXIT_OK
        return _run_erase(store, args, email)
    except (InvalidId, NotFound, DamagedComment) as exc:
        return lookup_failed(exc, args.comment_id)
    except (StoreError, GuardError, AuditError, OSError) as exc:
        print(f"cannot change the store: {exc}", file=sys.stderr)
        return EXIT_DISK


def _run_purge(store: CommentStore, shared: Shared, now: datetime) -> int:
    report = purge(store, shared, now)
    print(f"e-mail addresses removed: {len(report.emails_removed)}; rejected comments deleted: "
          f"{len(report.rejected_deleted)}; audit entries dropped: {report.audit_entries_dropped}; "
          f"expired rate-limit hashes deleted: {report.guard_hits_pruned}; tmp/ files swept: {report.tmp_swept}; "
          f"notification subscriptions ended: {len(report.subscriptions_removed)}; "
          f"accessibility requests redacted: {len(report.accessibility_redacted)}; "
          f"report details emptied: {report.report_messages_cleared}")
    for comment_id in report.skipped:
        print(f"skipped {comment_id} (moved, deleted or damaged meanwhile: the next run retries)")
    if report.emails_removed or report.rejected_deleted or report.audit_entries_dropped \
            or report.accessibility_redacted:
        # A run that changed nothing is not recorded: a daily timer leaves the log alone.
        _record("personal-data-purge", root=store.root, emails_removed=report.emails_removed,
                rejected_deleted=report.rejected_deleted, audit_entries_dropped=report.audit_entries_dropped,
                accessibility_redacted=report.accessibility_redacted)
    return EXIT_OK


def _run_erase(store: CommentStore, args, email: str | None) -> int:
    report = erase(store, email, args.comment_id, args.anonymise)
    done = report.anonymised if args.anonymise else report.deleted
    verb = "anonymised" if args.anonymise else "deleted"
    print(f"{len(done)} comment(s) {verb}, {report.replies_removed} reply(ies) removed, "
          f"{len(report.accessibility_redacted)} accessibility request(s) erased, "
          f"{report.audit_entries_changed} audit entr(y/ies) cleaned")
    if report.published_threads:
        print("published pages to build again (threads): " + ", ".join(sorted(report.published_threads)))
        print("development: the launcher (python -m devserver) rebuilds by itself; "
              "production: publish a new release (make publish)")
    _record("personal-data-erase", root=store.root, by="email" if email else "id", mode=verb,
            comment_ids=done, replies_removed=report.replies_removed,
            accessibility_requests=report.accessibility_redacted)
    return EXIT_OK
