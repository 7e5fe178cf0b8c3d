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
* Runs at ``finalized``: after every successful build (``make html``,
  ``make publish``, the development launcher's rebuilds). A build whose
  indexing fails stops with the indexer's message.

Settings: ``SEARCH_INDEX`` (default True), ``SEARCH_BUNDLE_DIR`` (default
``"pagefind"``).

The pages to index are found at ``all_generators_finalized`` and used at
``finalized``: in between they are kept in that build's settings (each Pelican
instance has its own), never in a module global, so that two builds in one
process cannot index each other's pages.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_BUNDLE_DIR": "pagefind",
}
# In a build's settings: the save_as paths of the pages to index.
PAGES_KEY = "_SEARCH_PAGES"


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


def build_index(output: str | Path, bundle_dir: str = "pagefind",
                glob: str | None = None) -> Path:
    """Index ``output`` into ``output/bundle_dir``; return the bundle folder."""
    output = Path(output).resolve()
    bundle = output / bundle_dir
    # Fragments are content-hashed: drop the previous index so that a removed
    # page cannot be found any more (the output folder is kept between
    # development builds).
    if bundle.is_dir():
        shutil.rmtree(bundle)
    command = [pagefind_executable(), "--site", str(output), "--output-subdir", bundle_dir,
               "--silent"]
    if glob:
        command += ["--glob", glob]
    result = subprocess.run(
        command,
        capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError("the search index could not be built (pagefind):\n"
                               + result.stdout + result.stderr)
    return bundle


def configure(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def collect_pages(generators):
    """Where this build's published articles, events and pages are written."""
    if not generators:
        return
    generators[0].settings[PAGES_KEY] = [
        obj.save_as for gen in generators for attr in ("articles", "pages", "events")
        for obj in getattr(gen, attr, None) or [] if obj.save_as]


def index_site(pelican):
    settings = pelican.settings
    pages = settings.pop(PAGES_KEY, None)
    if not settings.get("SEARCH_INDEX", True):
        return
    glob = content_glob(pages) if pages else None
    bundle = build_index(pelican.output_path, settings.get("SEARCH_BUNDLE_DIR", "pagefind"), glob)
    logger.info("search: index written to %s", bundle)


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(collect_pages)
    signals.finalized.connect(index_site)
