"""Signed, expiring links for commenters (pure: no I/O).

A token is ``<comment id>.<expiry, hex seconds>.<signature>``; the signature
is an HMAC-SHA256 (key derived from the service secret) over the purpose
("confirm" or "rights"), the comment id, the commenter's address (casefolded)
and the expiry, cut to 32 base64url characters (192 bits). The address is not
in the link (a link may end up in logs), but it is bound to it: once the
address is erased or purged from the comment, every link of it is dead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from ..store import ID_RE

CONFIRM, RIGHTS = "confirm", "rights"
PURPOSES = (CONFIRM, RIGHTS)
TOKEN_RE = re.compile(rf"(?P<id>{ID_RE.pattern})\.(?P<exp>[0-9a-f]{{1,12}})\.(?P<sig>[A-Za-z0-9_-]{{32}})")


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), b"comment_service commenter links v1", hashlib.sha256).digest()


def _signature(secret: str, purpose: str, comment_id: str, email: str, expires: int) -> str:
    data = "\n".join((purpose, comment_id, email.strip().casefold(), str(expires))).encode("utf-8", "surrogatepass")
    digest = hmac.new(_key(secret), data, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]


def make(secret: str, purpose: str, comment_id: str, email: str, expires: float) -> str:
    assert purpose in PURPOSES
    exp = int(expires)
    return f"{comment_id}.{exp:x}.{_signature(secret, purpose, comment_id, email, exp)}"


def comment_id(token: str) -> str | None:
    """The comment a well-shaped token names (None: not a token). Says nothing of its validity."""
    match = TOKEN_RE.fullmatch(token)
    return match["id"] if match else None


def verify(secret: str, purpose: str, token: str, email: str, now: float) -> bool:
    """True when ``token`` was made for this purpose, comment and address, and is not expired."""
    match = TOKEN_RE.fullmatch(token)
    if not match or not email:
        return False
    expires = int(match["exp"], 16)
    expected = _signature(secret, purpose, match["id"], email, expires)
    return hmac.compare_digest(expected, match["sig"]) and now < expires
