"""What every command of ``python -m comment_service`` shares: exit codes, text
made harmless on a terminal, and the message for a comment that cannot be
found, read or named.

Exit codes: 0 done, 1 not found / invalid id / damaged file, 2 usage or
configuration, 3 the disk refused.
"""

from __future__ import annotations

import sys
import unicodedata

from ..store import DamagedComment, InvalidId, NotFound

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DISK = 0, 1, 2, 3
ID_EXAMPLE = "20261126T101530123456Z-0123456789ab"


def safe(text: object) -> str:
    """Stored or typed text made harmless on a terminal (no escape sequences,
    no invisible direction marks); line breaks and tabs kept."""
    return "".join(c if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf") else f"\\u{ord(c):04x}"
                   for c in str(text))


def lookup_failed(exc: Exception, comment_id: str) -> int:
    """Say on stderr why a comment could not be used; the exit code (1)."""
    if isinstance(exc, InvalidId):
        message = f"invalid comment id: {safe(repr(comment_id))} (expected e.g. {ID_EXAMPLE})"
    elif isinstance(exc, DamagedComment):
        message = (f"comment {safe(comment_id)} is damaged and was left as it is: {safe(exc.path)}: "
                   f"{safe(exc.reason)} (look at the file, then fix or remove it by hand)")
    elif isinstance(exc, NotFound):
        message = f"comment not found: {safe(comment_id)}"
    else:
        raise TypeError(f"not a lookup failure: {exc!r}")
    print(message, file=sys.stderr)
    return EXIT_NOT_FOUND
