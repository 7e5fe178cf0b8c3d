"""Editorial checks: a mistake in a content file fails the build.

Pelican only warns and skips a file it cannot read. Editors are not
developers: a page that silently disappears is worse than a build that stops
with a message naming the file and the field. See ``editorial.py``.
"""

from .editorial import (SLUG_RE, ContentError, FieldError, parse_strict_date, problems_of,
                        record_problem, register)

__all__ = ["SLUG_RE", "ContentError", "FieldError", "parse_strict_date", "problems_of",
           "record_problem", "register"]
