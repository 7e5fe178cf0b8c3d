"""CSRF: every state-changing request is a POST that carries the token of its
session (``csrf`` field), compared in constant time.

The token is random per session and stored with it (sessions.py), so a token
taken from another session (or from before a login: a login starts a new
session) is refused. Cookies are ``SameSite=Strict`` as well, and the
console's forms post to the console only (``form-action 'self'``).
"""

from __future__ import annotations

import hmac

FIELD = "csrf"


def valid(session_token: str | None, sent: object) -> bool:
    return (isinstance(sent, str) and bool(session_token) and len(sent) <= 200
            and hmac.compare_digest(session_token.encode(), sent.encode("utf-8", "replace")))
