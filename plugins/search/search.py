"""Index the built site with Pagefind at the end of every build.

Pagefind (PyPI ``pagefind-bin``, a Rust binary) reads the HTML output and
writes a static, chunked index plus its JavaScript API into
``<output>/<SEARCH_BUNDLE_DIR>/``; the search page (``search.html``,
``js/search.js``) queries it in the browser: no server-side search.

* Only pages marked ``data-pagefind-body`` (article, event and page content)
  are indexed: listings, the search page and the 404 are not. Pagefind is
  also told to read only the folders that hold content (``--glob``), so that
  it does not parse the hundreds of paginated listing pages of a large site.
* The language, hence French stemming, comes from ``<html lang="fr">``.
* Starts as soon as the last page to index is written (``content_written``;
  at ``finalized`` at the latest) in every build (``make html``,
  ``make publish``, the development launcher's rebuilds), and runs beside
  the rest of the build (``sitekit.jobs``): Pagefind on the second core
  while Python writes the listings and runs the link check. The build waits for it at its end (a
  ``finalized`` receiver connected at ``initialized``, hence after every
  plugin's), or earlier when the link check records what it covered. A
  build whose indexing fails stops with the indexer's message.

Settings: ``SEARCH_INDEX`` (default True), ``SEARCH_BUNDLE_DIR`` (default
``"pagefind"``).

The pages to index are found at ``all_generators_finalized`` and used when
they are written: in between they are kept in that build's settings and
context (each Pelican instance has its own), never in a module global, so
that two builds in one process cannot index each other's pages.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

from pelican import signals

from sitekit import jobs

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
}
# In a build's settings: the save_as paths of the pages to index.
PAGES_KEY = "_SEARCH_PAGES"
# In a build's settings and context: its Indexing.
INDEXING_KEY = "_SEARCH_INDEXING"


class SearchIndexError(Exception):
    exitcode = 1


def pagefind_executable() -> str:
    """The binary shipped by ``pagefind-bin`` (requirements.txt)."""
    try:
        from pagefind_bin import get_executable
    except ImportError as exc:  # pragma: no cover - an install problem
        raise SearchIndexError(
            "pagefind-bin is not installed: pip install -r requirements.txt") from exc
    return str(get_executable())


def content_glob(save_as_paths) -> str:
    """A Pagefind glob covering the folders (or root files) of these pages.

    ``2014/06/12/slug/index.html`` gives ``2014/**/*.html``; a root file gives
    itself. Listings under other folders (``page/``, ``categorie/``,
    ``etiquette/``) are not read at all.
    """
    alternatives = set()
    for path in save_as_paths:
        first, sep, _rest = path.lstrip("/").partition("/")
        alternatives.add(f"{first}/**/*.html" if sep else first)
    return "{" + ",".join(sorted(alternatives)) + "}"


def index_command(output: Path, bundle_dir: str = "pagefind", glob: str | None = None) -> list[str]:
    command = [pagefind_executable(), "--site", str(output), "--output-subdir", bundle_dir,
               "--silent"]
    if glob:
        command += ["--glob", glob]
    return command


def clear_bundle(output: Path, bundle_dir: str) -> Path:
    """The bundle folder, emptied. Fragments are content-hashed: the previous
    index goes, so that a removed page cannot be found any more (the output
    folder is kept between development builds)."""
    bundle = output / bundle_dir
    if bundle.is_dir():
        shutil.rmtree(bundle)
    return bundle


def bundle_check(bundle: Path):
    """``jobs.finish``'s check of one indexing run."""
    def check(returncode: int, output: str) -> None:
        if returncode != 0 or not (bundle / "pagefind.js").is_file():
            raise SearchIndexError("the search index could not be built (pagefind):\n" + output)
    return check


def build_index(output: str | Path, bundle_dir: str = "pagefind",
                glob: str | None = None) -> Path:
    """Index ``output`` into ``output/bundle_dir``; return the bundle folder."""
    output = Path(output).resolve()
    bundle = clear_bundle(output, bundle_dir)
    result = subprocess.run(index_command(output, bundle_dir, glob),
                            capture_output=True, text=True, timeout=300)
    bundle_check(bundle)(result.returncode, result.stdout + result.stderr)
    return bundle


def configure(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    # Connected now, after every plugin's own receivers: the build waits for
    # the index last (connecting the same function again changes nothing).
    signals.finalized.connect(finish_index)


def collect_pages(generators):
    """Where this build's published articles, events and pages are written;
    the index starts as soon as the last of them is (``Indexing``)."""
    if not generators:
        return
    settings = generators[0].settings
    pages = settings[PAGES_KEY] = [
        obj.save_as for gen in generators for attr in ("articles", "pages", "events")
        for obj in getattr(gen, attr, None) or [] if obj.save_as]
    if settings.get("SEARCH_INDEX", True):
        # The generators' shared context reaches content_written (this build's only).
        indexing = Indexing(settings, generators[0].output_path, pages)
        settings[INDEXING_KEY] = generators[0].context[INDEXING_KEY] = indexing


class Indexing:
    """One build's indexing run. Pagefind reads only the folders of the pages
    to index (``content_glob``), and only those pages carry the part it
    indexes (``data-pagefind-body``): once the last of them is written, the
    rest of the build (listings, open data, static files, the link check)
    cannot change the index, so it starts then, beside that work."""

    def __init__(self, settings, output, pages):
        self.settings, self.output, self.pages = settings, Path(output).resolve(), list(pages)
        self.waiting = {os.path.abspath(os.path.join(output, page)) for page in self.pages}
        self.started = False

    def written(self, path: str) -> None:
        if not self.started and self.waiting:
            self.waiting.discard(os.path.abspath(path))
            if not self.waiting:
                self.start()

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        bundle_dir = self.settings.get("SEARCH_BUNDLE_DIR", "pagefind")
        bundle = clear_bundle(self.output, bundle_dir)
        glob = content_glob(self.pages) if self.pages else None
        jobs.start(self.settings, index_command(self.output, bundle_dir, glob),
                   bundle_check(bundle))
        logger.info("search: indexing into %s", bundle)


def page_written(path, context=None):
    indexing = (context or {}).get(INDEXING_KEY)
    if indexing is not None:
        indexing.written(path)


def index_site(pelican):
    """Start indexing the written site if no page did (``finish_index`` waits)."""
    settings = pelican.settings
    pages = settings.pop(PAGES_KEY, None)
    indexing = settings.pop(INDEXING_KEY, None)
    if not settings.get("SEARCH_INDEX", True):
        return
    (indexing or Indexing(settings, pelican.output_path, pages or [])).start()


def finish_index(pelican):
    jobs.finish(pelican.settings)


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(collect_pages)
    signals.content_written.connect(page_written)
    signals.finalized.connect(index_site)
