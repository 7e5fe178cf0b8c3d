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
* Starts at ``finalized``, once every page is written (``make html``,
  ``make publish``, the development launcher's rebuilds), and runs beside
  the rest of the build (``sitekit.jobs``): Pagefind on the second core
  while Python runs the link check. The build waits for it at its end (a
  ``finalized`` receiver connected at ``initialized``, hence after every
  plugin's), or earlier when the link check records what it covered. A
  build whose indexing fails stops with the indexer's message.

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

from sitekit import jobs

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
    """Where this build's published articles, events and pages are written."""
    if not generators:
        return
    generators[0].settings[PAGES_KEY] = [
        obj.save_as for gen in generators for attr in ("articles", "pages", "events")
        for obj in getattr(gen, attr, None) or [] if obj.save_as]


def index_site(pelican):
    """Start indexing the written site; ``finish_index`` waits for it."""
    settings = pelican.settings
    pages = settings.pop(PAGES_KEY, None)
    if not settings.get("SEARCH_INDEX", True):
        return
    output = Path(pelican.output_path).resolve()
    bundle_dir = settings.get("SEARCH_BUNDLE_DIR", "pagefind")
    bundle = clear_bundle(output, bundle_dir)
    jobs.start(settings, index_command(output, bundle_dir, content_glob(pages) if pages else None),
               bundle_check(bundle))
    logger.info("search: indexing into %s", bundle)


def finish_index(pelican):
    jobs.finish(pelican.settings)


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(collect_pages)
    signals.finalized.connect(index_site)
