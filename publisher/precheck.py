"""The check of a push against the publisher's kept build.

The ``pre-receive`` hook asks the running publisher (``checksocket.py``)
whether the new bytes of a few content files would publish. The publisher
answers from the page data it keeps (``reread.py``), exactly as its fast
path would publish them, but without writing them anywhere it serves: the
files are read from the given bytes (``editorial.sources.overlay``: every
plugin that reads a source reads those bytes, Pelican's content cache is
neither read nor written for them), re-rendered into a staging folder whose
links are checked against the served release (``staged_links.py``), and the
kept pages are then put back as they were.

Answers: ``ok``; ``refused`` with the French report of a full build
(``content/articles/a.md, ligne N : …``); ``cold`` when this change is not
one the fast path publishes (a new or removed file, a field other than a
published article's title or summary, no kept build, a file changed since
the kept build read it): the hook then builds the commit in a scratch
folder as before.
"""

from __future__ import annotations

import contextlib
import os

from release import BuildFailed

from . import staged_links
from .build import rerender
from .checksocket import COLD, OK, REFUSED
from .reread import reread, swap_bodies


@contextlib.contextmanager
def uncached(generators):
    """Pelican's content cache neither read nor written for overlaid files."""
    from editorial.sources import overlaid

    patched = []
    for gen in generators:
        readers = getattr(gen, "readers", None)
        if readers is None or "get_cached_data" in vars(readers):
            continue
        get, put = readers.get_cached_data, readers.cache_data
        readers.get_cached_data = (lambda path, default=None, get=get:
                                   default if overlaid(path) else get(path, default))
        readers.cache_data = lambda path, data, put=put: None if overlaid(path) else put(path, data)
        patched.append(readers)
    try:
        yield
    finally:
        for readers in patched:
            del readers.get_cached_data, readers.cache_data


def stale(publisher, paths) -> bool:
    """Whether a file changed on disk after the kept build read the content
    (a change the watcher may not have handed over yet)."""
    for path in paths:
        try:
            if os.stat(path).st_mtime >= publisher.read_at:
                return True
        except OSError:
            return True
    return False


def check(publisher, texts: dict[str, bytes]) -> tuple[str, str]:
    """(outcome, report) for these absolute paths' new bytes."""
    from editorial import LINKS_KEY, ContentError, overlay

    if not publisher.partial_ready():
        return COLD, "pas de construction gardée à jour"
    if stale(publisher, texts):
        return COLD, "des fichiers ont changé depuis la dernière publication"
    session = publisher.session
    sources = frozenset(texts)
    report: list[str] = []
    settings = session.generators[0].settings
    links = list(settings.get(LINKS_KEY, []))  # reread notes the checked files' links
    try:
        with overlay(texts), uncached(session.generators):
            done = reread(session.generators, sources, report)
            if done is None:
                return (REFUSED, str(ContentError(report))) if report else \
                    (COLD, "changement hors du chemin rapide")
            written = {old.save_as: old.source_path for old, _ in done.undo}
            try:
                with publisher.staged() as (staging, release_id):
                    rerender(session, staging, done.shown, sources, done.listed)
                    staged_links.check(session.pelican.settings, staging,
                                       publisher.releases.folder / release_id, written)
            except BuildFailed as exc:
                return REFUSED, str(exc)
            finally:
                swap_bodies(done.undo)
    finally:
        settings[LINKS_KEY] = links  # the kept build's, as before the check
    return OK, ""
