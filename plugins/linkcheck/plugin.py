"""Run the link check (``check.py``) at the end of every build.

* ``all_generators_finalized``: note which source file writes which page
  (draft previews included: they are checked like any page, the theme links
  a preview's category or tag only when its listing exists); kept in that
  build's settings, never in a module global; start reading the pages as
  they are written
  (``content_written``, ``prescan.py``: a second process);
* ``finalized``: check the whole output (while the search index is written
  beside it, ``sitekit.jobs``: awaited before the verdict); a broken reference stops the build
  with one French line per problem, naming the source file (and its line when
  the target is written there) or the generated page, and the broken target.
  ``make publish`` / ``python -m release publish`` then switch nothing.

Settings: ``LINKCHECK`` (default True), ``SITE_PUBLIC_URL`` (the public address: links to it, in http or https,
with or without www, are internal in every build), ``LINKCHECK_IGNORE`` (root-relative
prefixes served by something else; default: the comment service's prefix),
``LINKCHECK_RECORD`` (a file where a passing check writes what it covered,
``record.py``: set by ``release`` for its build; default none).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican import signals

from editorial import ContentError
from sitekit import jobs

from .check import Broken, check_output
from .prescan import Prescan
from .record import write_record

logger = logging.getLogger(__name__)

SOURCES_KEY = "_LINKCHECK_SOURCES"
PRESCAN_KEY = "_LINKCHECK_PRESCAN"


class LinkCheckError(ContentError):
    """Broken links in the built site; the message lists them all (``lines``:
    one French line per problem, the editorial report's format)."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        count = len(self.lines)
        noun = "lien cassé" if count == 1 else "liens cassés"
        Exception.__init__(self, f"{count} {noun} dans le site construit ; rien n'a été "
                           "publié :\n" + "\n".join(self.lines))


def note_sources(generators):
    if not generators:
        return
    sources = {}
    # Pelican's generators share one context: each table is read once.
    tables = {id(t): t for gen in generators if (t := gen.context.get("generated_content"))}
    for table in tables.values():
        for content in table.values():
            save_as = getattr(content, "save_as", "") if content is not None else ""
            if save_as and getattr(content, "source_path", None):
                sources[save_as] = content.source_path
    generators[0].settings[SOURCES_KEY] = sources
    if generators[0].settings.get("LINKCHECK", True):
        # Pages are read while they are written (prescan.py): the generators'
        # shared context reaches content_written, and only this build's.
        prescan = Prescan(generators[0].output_path)
        generators[0].settings[PRESCAN_KEY] = generators[0].context[PRESCAN_KEY] = prescan


def page_written(path, context=None):
    prescan = (context or {}).get(PRESCAN_KEY)
    if prescan is not None:
        prescan.add(path)


def display_path(settings, path: str) -> str:
    """From the folder holding the content folder: content/articles/a.md."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    rel = os.path.relpath(os.path.abspath(path), base)
    return path if rel.startswith("..") else rel


def source_line(source: str, target: str) -> int | None:
    """The line of ``source`` where the broken target is written, if it is."""
    parts = urlsplit(target)
    tail = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts.path else ""
    needles = [n for n in (target, unquote(target), tail and tail + ("#" + parts.fragment
               if parts.fragment else ""), "#" + parts.fragment if parts.fragment else "")
               if n and len(n) > 2]
    try:
        lines = Path(source).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for needle in needles:
        for number, line in enumerate(lines, 1):
            if needle in line:
                return number
    return None


def describe(settings, problem: Broken, sources: dict[str, str]) -> str:
    source = sources.get(problem.page)
    if source:
        line = source_line(source, problem.target)
        where = display_path(settings, source) + (f", ligne {line}" if line else "")
        return f"- {where} : {problem.message()} (page {problem.page})"
    return f"- page générée {problem.page} : {problem.message()}"


def own_urls(settings) -> list[str]:
    """The addresses that are this site: SITEURL, SITE_ABSOLUTE_URL, FEED_DOMAIN
    and SITE_PUBLIC_URL (the public address, in every build), each in http and
    https, with and without www: a link to the site's own domain is checked
    like an internal link, whatever way it is written."""
    urls = [settings.get(k) or "" for k in ("SITEURL", "SITE_ABSOLUTE_URL", "FEED_DOMAIN")]
    for url in (settings.get("SITE_PUBLIC_URL"), settings.get("SITEURL")):
        parts = urlsplit(url or "")
        if not parts.hostname or parts.hostname in ("localhost", "127.0.0.1"):
            continue
        host = parts.hostname.removeprefix("www.")
        port = f":{parts.port}" if parts.port else ""
        urls += [f"{scheme}://{www}{host}{port}{parts.path.rstrip('/')}"
                 for scheme in ("http", "https") for www in ("", "www.")]
    return urls


def ignored_prefixes(settings) -> list[str]:
    configured = settings.get("LINKCHECK_IGNORE")
    if configured is not None:
        return list(configured)
    service = settings.get("COMMENTS_SERVICE_URL") or ""
    return [service] if service.startswith("/") else []


def check_site(pelican):
    settings = pelican.settings
    sources = settings.pop(SOURCES_KEY, None) or {}
    prescan = settings.pop(PRESCAN_KEY, None)
    if not settings.get("LINKCHECK", True):
        return
    known = prescan.results() if prescan is not None else {}
    site_urls = own_urls(settings)
    ignore = ignored_prefixes(settings)
    skip_dirs = (settings.get("SEARCH_BUNDLE_DIR", "pagefind"),)
    problems = check_output(pelican.output_path, site_urls, ignore,
                            skip_dirs=skip_dirs, known=known)
    # Work still writing the output beside the check (the search index,
    # sitekit.jobs) ends before the verdict: a reference into what it writes
    # may have been judged too early, so a failing check is run once more.
    jobs.finish(settings)
    if problems:
        problems = check_output(pelican.output_path, site_urls, ignore,
                                skip_dirs=skip_dirs)
    if problems:
        raise LinkCheckError([describe(settings, p, sources) for p in problems])
    if settings.get("LINKCHECK_RECORD"):
        write_record(settings["LINKCHECK_RECORD"], pelican.output_path, site_urls, ignore,
                     skip_dirs, ())
    logger.info("linkcheck: every internal link, anchor, image and feed entry resolves")


def register():
    signals.all_generators_finalized.connect(note_sources)
    signals.content_written.connect(page_written)
    signals.finalized.connect(check_site)
