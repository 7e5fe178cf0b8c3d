"""Moderator accounts: a JSON file beside the store, Argon2id password hashes,
an optional TOTP second factor (RFC 6238).

``<store>/moderators.json`` (mode 0600, never in the repository)::

    {"version": 1, "accounts": {"alice": {"hash": "$argon2id$…", "totp": null,
                                          "created_at": "2026-12-01T15:00:00Z"}}}

Changes hold an exclusive ``flock`` on ``<store>/.moderators.lock`` and replace
the file atomically (temporary file in the same folder, fsync, rename, folder
fsync), so two commands never lose each other's change and a reader never
sees half a file. There is no default account: the command line creates them
(``python -m comment_service moderators add NAME``).

``verify()`` takes the same time and gives the same answer (None) for an
unknown name, a wrong password and a wrong second-factor code.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .. import defaults
from ..store.files import PRIVATE_MODE, open_lock

NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
ISSUER = "Commentaires du Département"
_HASHER = PasswordHasher()  # Argon2id, the library's RFC 9106 "low memory" profile
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))  # for unknown names: same work, same answer


class AccountError(Exception):
    """A change the accounts file cannot take (unknown name, duplicate, short password …);
    an English message for the command line."""


@dataclass
class Account:
    name: str
    hash: str
    totp: str | None = None  # base32 secret once the second factor is enrolled
    created_at: str = ""

    def totp_uri(self, secret: str | None = None) -> str:
        return pyotp.TOTP(secret or self.totp).provisioning_uri(name=self.name, issuer_name=ISSUER)


def is_name(value: object) -> bool:
    return isinstance(value, str) and NAME_RE.fullmatch(value) is not None


def check_password(password: str) -> None:
    if len(password) < defaults.PASSWORD_MIN_LENGTH:
        raise AccountError(f"Mot de passe trop court ({len(password)} caractères) : il en faut au moins "
                           f"{defaults.PASSWORD_MIN_LENGTH}.")
    if password != password.strip() or "\n" in password:
        raise AccountError("Le mot de passe ne doit ni commencer ni finir par une espace, "
                           "ni contenir de retour à la ligne.")


def _taken(name: str) -> AccountError:
    return AccountError(f"Le compte {name!r} existe déjà (pour changer son mot de passe : moderators passwd).")


_ARGON2ID_RE = re.compile(r"\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+")
_BASE32_RE = re.compile(r"[A-Z2-7]{16,128}")
_ACCOUNT_KEYS = {"hash", "totp", "created_at"}


def file_problems(data: bytes) -> list[str]:
    """What makes ``data`` something other than a moderators file (French, for
    ``restore``): the version, then per account its name, an Argon2id hash, a
    base32 TOTP secret or null, a creation date, and nothing else."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ["ce n'est pas du JSON en UTF-8"]
    if not isinstance(body, dict) or set(body) != {"version", "accounts"} or body["version"] != 1 \
            or not isinstance(body["accounts"], dict):
        return ["il faut un objet {\"version\": 1, \"accounts\": {…}} et rien d'autre"]
    problems = []
    for name, fields in body["accounts"].items():
        shown = repr(name)[:50]
        if not is_name(name):
            problems.append(f"le nom de compte {shown} n'est pas valide")
        elif not isinstance(fields, dict) or not set(fields) <= _ACCOUNT_KEYS or "hash" not in fields:
            problems.append(f"le compte {shown} n'a pas les champs attendus (hash, totp, created_at)")
        elif not isinstance(fields["hash"], str) or not _ARGON2ID_RE.fullmatch(fields["hash"]):
            problems.append(f"le compte {shown} n'a pas d'empreinte Argon2id")
        elif fields.get("totp") is not None and not (isinstance(fields["totp"], str)
                                                     and _BASE32_RE.fullmatch(fields["totp"])):
            problems.append(f"la clé de double authentification du compte {shown} n'est pas valide")
        elif not isinstance(fields.get("created_at", ""), str):
            problems.append(f"la date de création du compte {shown} n'est pas un texte")
    return problems


def totp_step(secret: str, code: str, now: float) -> int | None:
    """The time step (RFC 6238 counter) that ``code`` is right for, within one step of
    ``now`` (clock drift), or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    for drift in (0, -1, 1):
        moment = now + drift * totp.interval
        if secrets.compare_digest(totp.at(moment), code):
            return totp.timecode(datetime.fromtimestamp(moment, timezone.utc))
    return None


class Accounts:
    def __init__(self, store_root: Path | str):
        self.root = Path(store_root)
        self.path = self.root / defaults.MODERATORS_FILE

    # -- reading ------------------------------------------------------------
    def load(self) -> dict[str, Account]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise AccountError(f"cannot read {self.path}: {exc}") from exc
        accounts = {}
        for name, fields in (data.get("accounts") or {}).items():
            if is_name(name) and isinstance(fields, dict) and isinstance(fields.get("hash"), str):
                accounts[name] = Account(name=name, hash=fields["hash"], totp=fields.get("totp") or None,
                                         created_at=str(fields.get("created_at", "")))
        return accounts

    def get(self, name: str) -> Account | None:
        return self.load().get(name) if is_name(name) else None

    def verify(self, name: str, password: str, code: str = "", now: float | None = None,
               claim=None) -> Account | None:
        """The account when name, password (and code, if enrolled) are right; else None.
        ``claim(name, step)`` returns False for a code already used (a replay)."""
        account = self.get(name) if is_name(name) else None
        try:
            _HASHER.verify(account.hash if account else _DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if account is None:
            return None
        if account.totp:
            step = totp_step(account.totp, code, time.time() if now is None else now)
            if step is None or (claim is not None and not claim(account.name, step)):
                return None
        return account

    # -- changes --------------------------------------------------------------
    @contextmanager
    def _changing(self) -> Iterator[dict[str, Account]]:
        """Lock, load, let the caller change the mapping, then write it atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = open_lock(self.root / ".moderators.lock")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            accounts = self.load()
            yield accounts
            self._write(accounts)
        finally:
            os.close(fd)

    def _write(self, accounts: dict[str, Account]) -> None:
        body = {"version": 1, "accounts": {n: {k: v for k, v in asdict(a).items() if k != "name"}
                                           for n, a in sorted(accounts.items())}}
        data = (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_MODE)
        try:
            try:
                os.fchmod(fd, PRIVATE_MODE)
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def check_new(self, name: str) -> None:
        """Refuse a name that is invalid or already taken (before a password is asked)."""
        if not is_name(name):
            raise AccountError(f"Nom de compte invalide {name!r} : lettres minuscules, chiffres, « . », "
                               "« _ », « - » (40 au plus, en commençant par une lettre ou un chiffre).")
        if name in self.load():
            raise _taken(name)

    def add(self, name: str, password: str) -> Account:
        self.check_new(name)
        check_password(password)
        with self._changing() as accounts:
            if name in accounts:  # made meanwhile by another command
                raise _taken(name)
            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            accounts[name] = Account(name=name, hash=_HASHER.hash(password), created_at=stamp)
            return accounts[name]

    def passwd(self, name: str, password: str) -> None:
        check_password(password)
        with self._changing() as accounts:
            self._existing(accounts, name).hash = _HASHER.hash(password)

    def remove(self, name: str) -> None:
        with self._changing() as accounts:
            self._existing(accounts, name)
            del accounts[name]

    def set_totp(self, name: str, secret: str | None) -> None:
        with self._changing() as accounts:
            self._existing(accounts, name).totp = secret

    @staticmethod
    def _existing(accounts: dict[str, Account], name: str) -> Account:
        if name not in accounts:
            raise AccountError(f"Aucun compte ne s'appelle {name!r}.")
        return accounts[name]
