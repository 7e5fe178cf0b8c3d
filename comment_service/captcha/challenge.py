"""Stateless, signed, expiring captcha challenges (pure: no I/O).

A token is ``base64url(payload) + "." + base64url(HMAC-SHA256(sig_key, payload))``
where the payload holds a format version, the issue time in milliseconds and
a random nonce. The expected answer is derived from the payload by another
HMAC, so any worker process can draw the image, speak the audio and check
the answer with nothing but the secret. Single use is enforced by the caller
(the guard records the nonce of every checked token on disk).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import re
import secrets
import struct
import time
import unicodedata
from dataclasses import dataclass

# Five characters from an alphabet without look-alikes: no 0/O/Q, 1/I,
# Z/2, S/5, N/V/M, K/X, J/U, B/8, G/6 pairs are split by leaving out the
# member that is easier to misread in a distorted image.
ALPHABET = "ABCDEFGHLPRTWY3479"
LENGTH = 5

_VERSION = 1
_PAYLOAD = struct.Struct(">BQ12s")  # version, issued_at (ms), nonce
_B64_PAYLOAD_LEN = (_PAYLOAD.size * 4 + 2) // 3  # len(base64url(21 bytes)) without padding: 28
_B64_SIG_LEN = (hashlib.sha256().digest_size * 4 + 2) // 3  # len(base64url(32 bytes)) without padding: 43
# Used with fullmatch() only: "$" would let a trailing newline through.
TOKEN_RE = re.compile(rf"[A-Za-z0-9_-]{{{_B64_PAYLOAD_LEN}}}\.[A-Za-z0-9_-]{{{_B64_SIG_LEN}}}")
# Tolerated clock skew between worker processes/hosts for "issued in the future".
_CLOCK_SKEW_MS = 5_000
MAX_ANSWER_LENGTH = 32


class InvalidToken(ValueError):
    """The token is malformed or its signature does not match (forged)."""


@dataclass(frozen=True)
class Challenge:
    token: str
    issued_at_ms: int
    nonce: bytes

    @property
    def nonce_hex(self) -> str:
        return self.nonce.hex()

    def expires_at(self, ttl: int) -> float:
        """Expiry as seconds since the epoch."""
        return self.issued_at_ms / 1000 + ttl


@functools.lru_cache(maxsize=32)
def _key(secret: str | bytes, purpose: bytes) -> bytes:
    """The key of one purpose, derived once per process and secret."""
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    return hmac.digest(secret, b"comment-service captcha v1 " + purpose, "sha256")


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    pad = "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(text + pad)


def issue(secret: str | bytes, now: float | None = None, nonce: bytes | None = None) -> Challenge:
    """Create a new signed challenge."""
    issued_ms = int((time.time() if now is None else now) * 1000)
    nonce = secrets.token_bytes(12) if nonce is None else nonce
    if len(nonce) != 12:
        raise ValueError("nonce must be 12 bytes")
    payload = _PAYLOAD.pack(_VERSION, issued_ms, nonce)
    sig = hmac.digest(_key(secret, b"signature"), payload, "sha256")
    return Challenge(_b64e(payload) + "." + _b64e(sig), issued_ms, nonce)


def parse(token: str, secret: str | bytes) -> Challenge:
    """Check the format and the signature of a token. Raise InvalidToken."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        raise InvalidToken("malformed token")
    b64_payload, b64_sig = token.split(".")
    try:
        payload = _b64d(b64_payload)
        sig = _b64d(b64_sig)
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - regex guards this
        raise InvalidToken("bad base64") from exc
    # Reject non-canonical encodings (extra bits in the last character).
    if _b64e(payload) != b64_payload or _b64e(sig) != b64_sig:
        raise InvalidToken("non-canonical base64")
    expected = hmac.digest(_key(secret, b"signature"), payload, "sha256")
    if not hmac.compare_digest(expected, sig):
        raise InvalidToken("bad signature")
    version, issued_ms, nonce = _PAYLOAD.unpack(payload)
    if version != _VERSION:
        raise InvalidToken("unknown version")
    return Challenge(token, issued_ms, nonce)


def _answer(challenge: Challenge, secret: str | bytes) -> str:
    payload = _b64d(challenge.token.split(".")[0])
    digest = hmac.digest(_key(secret, b"answer"), payload, "sha256")
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def answer_for(token: str, secret: str | bytes) -> str:
    """The expected answer (upper case) of a token signed with ``secret``.

    Raises InvalidToken when the token is malformed or forged. Public: the
    tests and the benchmark solve captchas with it.
    """
    return _answer(parse(token, secret), secret)


def image_seed(challenge: Challenge, secret: str | bytes) -> int:
    """A seed for drawing the image, derived from the token (same in every worker)."""
    payload = _b64d(challenge.token.split(".")[0])
    return int.from_bytes(hmac.digest(_key(secret, b"image"), payload, "sha256")[:16], "big")


def audio_seed(challenge: Challenge, secret: str | bytes) -> int:
    """A seed for rendering the audio, derived from the token (same in every worker)."""
    payload = _b64d(challenge.token.split(".")[0])
    return int.from_bytes(hmac.digest(_key(secret, b"audio"), payload, "sha256")[:16], "big")


def normalise_answer(answer: str) -> str:
    """Answers are case-insensitive; whitespace is ignored; NFKC folds full-width forms."""
    return "".join(unicodedata.normalize("NFKC", answer).split()).upper()


# Outcomes of check(); the caller maps them to French messages.
OK = "ok"
MISSING = "missing"
INVALID = "invalid"  # malformed or forged
EXPIRED = "expired"
TOO_FAST = "too_fast"
WRONG = "wrong"
USED = "used"  # never returned by check(): the caller's verdict when spending the nonce fails


@dataclass(frozen=True)
class CheckResult:
    outcome: str
    challenge: Challenge | None = None  # set when the signature is valid and not expired

    @property
    def ok(self) -> bool:
        return self.outcome == OK

    @property
    def burnable(self) -> bool:
        """Whether the token was genuine and live: it must then be spent."""
        return self.challenge is not None


def check(
    token: str | None,
    answer: str | None,
    secret: str | bytes,
    *,
    now: float,
    ttl: int,
    min_fill_seconds: float,
) -> CheckResult:
    """Check a token and an answer at time ``now`` (seconds since the epoch).

    Order: missing, forged/malformed, expired, too fast, wrong answer. A
    genuine live token (the last three outcomes and OK) is returned with its
    challenge so the caller spends it whatever the outcome.
    """
    if not token:
        return CheckResult(MISSING)
    try:
        challenge = parse(token, secret)
    except InvalidToken:
        return CheckResult(INVALID)
    now_ms = int(now * 1000)
    if challenge.issued_at_ms > now_ms + _CLOCK_SKEW_MS:
        return CheckResult(INVALID)
    if now_ms - challenge.issued_at_ms > ttl * 1000:
        return CheckResult(EXPIRED)
    if now_ms - challenge.issued_at_ms < min_fill_seconds * 1000:
        return CheckResult(TOO_FAST, challenge)
    given = normalise_answer(answer or "")
    # Every answer is ASCII: anything else (a lone surrogate included) is wrong
    # before it is encoded, so checking never raises.
    if not given or len(given) > MAX_ANSWER_LENGTH or not given.isascii():
        return CheckResult(WRONG, challenge)
    if not hmac.compare_digest(given.encode("ascii"), _answer(challenge, secret).encode("ascii")):
        return CheckResult(WRONG, challenge)
    return CheckResult(OK, challenge)


def is_live(token: str, secret: str | bytes, *, now: float, ttl: int) -> Challenge | None:
    """The challenge if the token is genuine and not expired, else None (for media routes)."""
    try:
        challenge = parse(token, secret)
    except InvalidToken:
        return None
    now_ms = int(now * 1000)
    if challenge.issued_at_ms > now_ms + _CLOCK_SKEW_MS or now_ms - challenge.issued_at_ms > ttl * 1000:
        return None
    return challenge
