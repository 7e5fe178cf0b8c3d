"""Pelican builds in this process, into a given folder.

``build(settings_file, output, ...)`` reads the settings afresh (plugins change
them during a build), runs Pelican with the project's plugins (``run``: the
steps of ``Pelican.run``, keeping the generators) and returns ``BuildInfo``:
when the next scheduled article comes due, and the generators with every
page's context computed.

* ``rerender(info, output, threads, sources)`` writes what shows some
  comment threads, or the new bodies of some content files
  (``reread.py`` has put them into the page data), from a finished build's
  generators, with the selective writer (``writer.py``): the fast path of an
  approval and of a body edit.

Any error Pelican or a plugin logs fails the build (as ``pelican --fatal
errors`` does): ``release.BuildFailed`` carries the messages, in French
where the plugins wrote French.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from release import BuildFailed
from sitekit import jobs
from release.publish import record_path

from . import waiting
from .kept import narrowed
from .writer import make_selective

ROOT = Path(__file__).resolve().parents[1]
#: Plugins whose ``all_generators_finalized`` receivers read the comment store
#: (approved comments and replies onto pages; open-data rows and feeds), and
#: whose generators write only what the store and the content's fields make
#: (the threads manifest, open-data files and comment feeds).
STORE_PLUGINS = ("comments", "opendata")


@dataclass(frozen=True)
class BuildInfo:
    next_due: dt.datetime | None  # the earliest scheduled article still waiting
    # The build's Pelican and generators, every page's context computed: a
    # comment change re-renders from them (``rerender``) without reading anything.
    pelican: object = None
    generators: list = field(default_factory=list)
    siteurl: str = ""  # SITEURL while pages were written (plugins/absolute_urls changes it after)
    indexed: list[str] = field(default_factory=list)  # the pages the search index reads
    waiting: dict = field(default_factory=dict)  # scheduled, drafts, expiring (waiting.py)
    waiting_lines: list[str] = field(default_factory=list)  # plugins/schedule: what waits, in French


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


def indexed_pages(generators) -> list[str]:
    """The pages plugins/search indexes, as it found them in this build
    (later, a generator may reuse an attribute it reads)."""
    from search import PAGES_KEY

    return list(generators[0].settings.get(PAGES_KEY) or []) if generators else []


def _scheduled(generators, settings) -> dt.datetime | None:
    """The earliest future date among this build's held articles (plugins/schedule
    turns them into drafts) and its expiries to come (plugins/expiry); None
    when SCHEDULE_NOW freezes the clock."""
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
    from expiry import upcoming

    dates += [moment for moment, _path, _title in upcoming(settings) if moment > now]
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


def run(pelican) -> list:
    """``Pelican.run`` (4.12) without its summary, keeping the generators."""
    from pelican import signals

    context = pelican.settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={},
                   localsiteurl=pelican.settings["SITEURL"])
    generators = [cls(context=context, settings=pelican.settings, path=pelican.path,
                      theme=pelican.theme, output_path=pelican.output_path)
                  for cls in pelican._get_generator_classes()]
    for gen in generators:
        if hasattr(gen, "generate_context"):
            gen.generate_context()
        if hasattr(gen, "check_disabled_readers"):
            gen.check_disabled_readers()
    signals.all_generators_finalized.send(generators)
    for gen in generators:
        if hasattr(gen, "refresh_metadata_intersite_links"):
            gen.refresh_metadata_intersite_links()
    writer = pelican._get_writer()
    for gen in generators:
        if hasattr(gen, "generate_output"):
            gen.generate_output(writer)
    signals.finalized.send(pelican)
    return generators


@contextlib.contextmanager
def in_pelican():
    """Around any build in this process: the project folder as working folder,
    Pelican's console quiet, a fresh sitemap, and every ERROR logged turned
    into BuildFailed (the ``--fatal errors`` rule)."""
    from pelican.log import console

    _fresh_sitemap()
    errors = _Errors()
    root_logger = logging.getLogger()
    root_logger.addHandler(errors)
    cwd, quiet = os.getcwd(), console.quiet
    os.chdir(ROOT)
    console.quiet = True  # Pelican's English summary: the publisher says what it did
    try:
        yield
    except BuildFailed:
        raise
    except Exception as exc:
        messages = errors.messages + [str(exc) or type(exc).__name__]
        raise BuildFailed("\n".join(m for m in messages if m)) from None
    finally:
        os.chdir(cwd)
        console.quiet = quiet
        root_logger.removeHandler(errors)
    if errors.messages:
        raise BuildFailed("\n".join(errors.messages))


def build(settings_file: Path, output: Path, cache: Path, *, load_cache: bool | None = None,
          content: Path | None = None, published: Path | None = None) -> BuildInfo:
    """Build into ``output``; raise BuildFailed with the build's messages.
    ``published``: the release being served (plugins/events refuses an event
    new in this build and already over)."""
    from pelican import Pelican, signals

    # The link check notes what it covered (release/ then skips its second pass).
    overrides = {"OUTPUT_PATH": str(output), "CACHE_PATH": str(cache), "CACHE_CONTENT": True,
                 "LINKCHECK_RECORD": str(record_path(output))}
    if content is not None:
        overrides["PATH"] = str(content)
    if published is not None:
        overrides["EVENTS_PUBLISHED_OUTPUT"] = str(published)
    if load_cache is not None:
        overrides["LOAD_CONTENT_CACHE"] = load_cache
    try:
        settings = read(settings_file, overrides)
    except Exception as exc:  # a settings file is Python: anything can go wrong
        raise BuildFailed(f"réglages illisibles ({settings_file.name}) : {exc}") from None
    found: dict = {"due": None, "indexed": [], "waiting": {}}

    def note_schedule(generators):
        found["due"] = _scheduled(generators, settings)
        found["indexed"] = indexed_pages(generators)
        found["waiting"] = waiting.from_build(generators, settings)

    signals.all_generators_finalized.connect(note_schedule, weak=False)
    siteurl = settings.get("SITEURL") or ""  # before plugins/absolute_urls changes it
    try:
        with in_pelican():
            pelican = Pelican(settings)
            generators = run(pelican)
    except BaseException:
        jobs.cancel(settings)  # Pagefind must not write into a folder about to go
        raise
    finally:
        signals.all_generators_finalized.disconnect(note_schedule)
    from sitekit import WAITING_KEY

    return BuildInfo(found["due"], pelican, generators, siteurl, found["indexed"],
                     found["waiting"], list(pelican.settings.get(WAITING_KEY) or []))


def _plugin(thing) -> str:
    """The top-level package a function or class comes from (a plugin's name)."""
    return getattr(thing, "__module__", "").split(".")[0]


def rerender(info: BuildInfo, output: Path, threads: frozenset[str],
             sources: frozenset[str] = frozenset(), listed: frozenset[str] = frozenset()) -> None:
    """Write into ``output`` what shows ``threads`` or the bodies of ``sources``,
    from a finished build's generators: when comments changed, the plugins
    that read the store read it again (their ``all_generators_finalized``
    receivers, ``STORE_PLUGINS``); then each generator's ``generate_output``
    runs with the selective writer. No page context is computed again."""
    from pelican import signals

    pelican, generators = info.pelican, info.generators
    with in_pelican():
        for receiver in list(signals.all_generators_finalized.receivers_for(generators)):
            if threads and _plugin(receiver) in STORE_PLUGINS:
                receiver(generators)
        pelican.output_path = str(output)
        pelican.settings["SITEURL"] = info.siteurl  # as when the pages were first written
        writer = make_selective(pelican._get_writer(), threads, sources, listed)
        with narrowed(generators, writer.selects):
            for gen in generators:
                gen.output_path = str(output)
                if not threads and _plugin(type(gen)) in STORE_PLUGINS:
                    continue  # its outputs show the store, and titles: not a body
                if hasattr(gen, "generate_output"):
                    gen.generate_output(writer)
