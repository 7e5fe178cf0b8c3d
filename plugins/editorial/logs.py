"""Only French lines around the editors' messages.

A refused file is already in the report: Pelican's English lines about it
(``Could not process …``, ``Unable to find …, skipping url replacement``)
are dropped, and Pelican's final ``CRITICAL ContentError: …`` line becomes
the report alone, without a traceback.

``QuietPelican`` is a logging filter: the plugin puts it on every logger that
exists when a build starts (Pelican's and the plugins', which are imported by
then) and on the root logger's handlers, once each. On the loggers
themselves, because Pelican's ``--fatal errors`` turns any error a logger
lets through into a crash (``Warning or error encountered``) before the
report: a record dropped by a logger's own filter is not counted.
"""

from __future__ import annotations

import logging
import sys

from .problems import ContentError, Refused

# Pelican's English lines about a link target that does not exist.
MISSING_TARGET_LOGS = ("Unable to find '%s', skipping url replacement",
                       "Cannot get modification stamp for %s")
# Pelican's English lines about two files with one address: checks.py reports them.
COLLISION_LOGS = ("There are %s items", "There are %s original")
LOGGERS = ("pelican", "pelican.generators", "pelican.contents", "pelican.readers")


class QuietPelican(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        active = sys.exc_info()[1]
        if isinstance(active, Refused) or _mentions(record, Refused):
            return False  # "Could not process <file>": the report says why
        if str(record.msg).startswith(COLLISION_LOGS):
            return False  # two files with one address: checks.check_collisions names them
        if str(record.msg).startswith(MISSING_TARGET_LOGS):
            return False  # every missing target is reported by links.check_links
        error = _mentions(record, ContentError) or (
            record.exc_info[1] if record.exc_info and
            isinstance(record.exc_info[1], ContentError) else None)
        if error is not None:
            record.msg, record.args = "%s", (str(error),)
            record.exc_info = record.exc_text = None
        return True


def _mentions(record, kind):
    args = record.args if isinstance(record.args, tuple) else ()
    return next((a for a in args if isinstance(a, kind)), None)


FILTER = QuietPelican()


def install() -> None:
    """Idempotent: each logger and handler gets the filter once."""
    targets = [logging.getLogger(name) for name in LOGGERS]
    targets += [logger for logger in list(logging.Logger.manager.loggerDict.values())
                if isinstance(logger, logging.Logger)]
    targets += logging.getLogger().handlers
    for target in targets:
        if FILTER not in target.filters:
            target.addFilter(FILTER)
