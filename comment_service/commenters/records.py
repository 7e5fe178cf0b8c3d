"""Subscriptions and the suppression list, in the store (durable writes).

Layout under the store root::

    notifications/<comment id>.json   one subscription per comment
    notifications/suppressed/<hash>   an address never mailed again (bounced or unsubscribed)
    notifications/.lock               held by every read-modify-write of a subscription

A subscription holds no address (the comment keeps it, the one place the
personal data are, so ``personal-data erase`` and ``purge`` reach it): only
``comment_id``, ``state`` (``requested``: waiting for its confirmation;
``confirmed``; ``stopped``: the commenter stopped the mails, or the address
bounced), ``requested_at``, ``confirmed_at`` and ``sent`` (kind -> time: what
was sent, so nothing is sent twice). Files are written whole through the
store's ``tmp/`` (``store.files``). A suppressed address is a SHA-256 of the
casefolded address: the list says "never again" without holding the address.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..store import CREATED_FORMAT, CommentStore, StoreError, is_comment_id
from ..store import files

log = logging.getLogger("comment_service.commenters")
FOLDER = "notifications"
SUPPRESSED = "suppressed"
STATES = ("requested", "confirmed", "stopped")
KINDS = ("confirm", "published", "rejected", "reply")


def stamp(now: float) -> str:
    return datetime.fromtimestamp(now, timezone.utc).strftime(CREATED_FORMAT)


def parse_stamp(value: str) -> float:
    return datetime.strptime(value, CREATED_FORMAT).replace(tzinfo=timezone.utc).timestamp()


@dataclass
class Subscription:
    comment_id: str
    state: str
    requested_at: str
    confirmed_at: str = ""
    sent: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> "Subscription":
        obj = json.loads(data.decode("utf-8"))
        if not isinstance(obj, dict) or not is_comment_id(obj.get("comment_id")) or obj.get("state") not in STATES:
            raise ValueError("not a subscription")
        sent = obj.get("sent") or {}
        if not isinstance(sent, dict) or not all(k in KINDS and isinstance(v, str) for k, v in sent.items()):
            raise ValueError("bad 'sent'")
        fields = [obj.get(k, "") for k in ("requested_at", "confirmed_at")]
        if not all(isinstance(v, str) for v in fields):
            raise ValueError("bad dates")
        return cls(obj["comment_id"], obj["state"], fields[0], fields[1], dict(sent))


def address_hash(email: str) -> str:
    return hashlib.sha256(b"suppressed:" + email.strip().casefold().encode("utf-8", "surrogatepass")).hexdigest()


class Subscriptions:
    def __init__(self, store: CommentStore):
        self.store = store
        self.folder = Path(store.root) / FOLDER

    def _path(self, comment_id: str) -> Path:
        if not is_comment_id(comment_id):
            raise ValueError(comment_id)
        return self.folder / f"{comment_id}.json"

    @contextmanager
    def locked(self) -> Iterator[None]:
        files.ensure_dir(self.folder)
        fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def get(self, comment_id: str) -> Subscription | None:
        """The subscription of a comment (None: none, or a damaged file, logged)."""
        path = self._path(comment_id)
        try:
            return Subscription.from_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, UnicodeError) as exc:
            log.error("damaged subscription %s: %s (skipped)", path, exc)
            return None

    def ids(self) -> list[str]:
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return []
        return [n[:-5] for n in names if n.endswith(".json") and is_comment_id(n[:-5])]

    def save(self, sub: Subscription) -> None:
        path = self._path(sub.comment_id)
        try:
            files.ensure_dir(self.folder)
            if path.exists():
                files.rewrite(self.store.tmp, path, sub.to_json(), sub.comment_id)
            else:
                files.write_new(self.store.tmp, path, sub.to_json(), sub.comment_id)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}", exc.errno) from exc

    def request(self, comment_id: str, now: float) -> Subscription:
        sub = Subscription(comment_id, "requested", stamp(now))
        with self.locked():
            self.save(sub)
        return sub

    def update(self, comment_id: str, change) -> Subscription | None:
        """Read, ``change(sub)`` (returns False to leave it), write: under the lock."""
        with self.locked():
            sub = self.get(comment_id)
            if sub is None or change(sub) is False:
                return sub
            self.save(sub)
            return sub

    def remove(self, comment_id: str) -> bool:
        path = self._path(comment_id)
        with self.locked():
            try:
                os.unlink(path)
            except FileNotFoundError:
                return False
            files.fsync_dir(path.parent)
            return True

    # -- the suppression list ------------------------------------------------------
    def suppress(self, email: str) -> None:
        path = self.folder / SUPPRESSED / address_hash(email)
        if path.exists():
            return
        try:
            files.ensure_dir(path.parent)
            files.write_new(self.store.tmp, path, b"", "suppressed")
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}", exc.errno) from exc

    def suppressed(self, email: str) -> bool:
        return (self.folder / SUPPRESSED / address_hash(email)).exists()
