"""One Pelican build, in this process, into a given folder.

``build(settings_file, output, ...)`` reads the settings afresh (plugins change
them during a build), runs Pelican with the project's plugins, and returns
what the publisher needs to know afterwards (``BuildInfo``: when the next
scheduled article comes due). With ``threads`` given, the build is
*selective*: Pelican reads every article (from its content cache) and
computes every page's context as usual, but the writer renders only the
outputs that show those comment threads (``writer.py``), and the search
index and the link check are not run.

Any error Pelican or a plugin logs fails the build (as ``pelican --fatal
errors`` does): ``release.BuildFailed`` carries the messages, in French
where the plugins wrote French.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from release import BuildFailed

from .writer import selective

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BuildInfo:
    next_due: dt.datetime | None  # the earliest scheduled article still waiting


class _Errors(logging.Handler):
    """Collects what Pelican and the plugins log at ERROR (the --fatal errors rule)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a badly formatted log call is still an error
            message = str(record.msg)
        if message not in self.messages:
            self.messages.append(message)


def read(settings_file: Path, overrides: dict) -> dict:
    from pelican.settings import read_settings

    cwd = os.getcwd()
    os.chdir(ROOT)  # publishconf.py imports pelicanconf.py from the current folder
    try:
        return read_settings(str(settings_file), override=overrides)
    finally:
        os.chdir(cwd)


def _scheduled(generators, settings) -> dt.datetime | None:
    """The earliest future date among this build's held articles (plugins/schedule
    turns them into drafts); None when SCHEDULE_NOW freezes the clock."""
    if settings.get("SCHEDULE_NOW") or os.environ.get("SCHEDULE_NOW"):
        return None
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    now = dt.datetime.now(zone)
    dates = []
    for gen in generators:
        for obj in getattr(gen, "drafts", None) or []:
            date = obj.date if obj.date.tzinfo else obj.date.replace(tzinfo=zone)
            if date > now:
                dates.append(date)
    return min(dates) if dates else None


def _fresh_sitemap() -> None:
    """pelican-sitemap keeps one module-level generator (its queue of written
    pages, the build it belongs to, its "now"), reset only at the end of a
    build that succeeded: a build run in this process after a failed one
    would write no sitemap, or a stale one. Start each build from a new one,
    as a new process would."""
    import sys

    module = sys.modules.get("pelican.plugins.sitemap.sitemap")
    if module is not None and hasattr(module, "generator"):
        module.generator.__init__()


def build(settings_file: Path, output: Path, cache: Path, *, load_cache: bool | None = None,
          threads: frozenset[str] | None = None, content: Path | None = None) -> BuildInfo:
    """Build into ``output``; raise BuildFailed with the build's messages."""
    from pelican import Pelican, signals
    from pelican.log import console

    overrides = {"OUTPUT_PATH": str(output), "CACHE_PATH": str(cache), "CACHE_CONTENT": True}
    if content is not None:
        overrides["PATH"] = str(content)
    if load_cache is not None:
        overrides["LOAD_CONTENT_CACHE"] = load_cache
    if threads is not None:
        overrides.update(LOAD_CONTENT_CACHE=True, SEARCH_INDEX=False, LINKCHECK=False)
    try:
        settings = read(settings_file, overrides)
    except Exception as exc:  # a settings file is Python: anything can go wrong
        raise BuildFailed(f"réglages illisibles ({settings_file.name}) : {exc}") from None
    found: list[dt.datetime | None] = [None]

    def note_schedule(generators):
        found[0] = _scheduled(generators, settings)

    _fresh_sitemap()
    errors = _Errors()
    root_logger = logging.getLogger()
    root_logger.addHandler(errors)
    signals.all_generators_finalized.connect(note_schedule, weak=False)
    cwd, quiet = os.getcwd(), console.quiet
    os.chdir(ROOT)
    console.quiet = True  # Pelican's English summary: the publisher says what it did
    try:
        pelican = selective(Pelican, threads)(settings)
        pelican.run()
    except Exception as exc:
        messages = errors.messages + [str(exc) or type(exc).__name__]
        raise BuildFailed("\n".join(m for m in messages if m)) from None
    finally:
        os.chdir(cwd)
        console.quiet = quiet
        signals.all_generators_finalized.disconnect(note_schedule)
        root_logger.removeHandler(errors)
    if errors.messages:
        raise BuildFailed("\n".join(errors.messages))
    return BuildInfo(next_due=found[0])
