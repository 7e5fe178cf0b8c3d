"""Index the built site with Pagefind at the end of every build.

Pagefind (PyPI ``pagefind-bin``, a Rust binary) reads the HTML output and
writes a static, chunked index plus its JavaScript API into
``<output>/<SEARCH_BUNDLE_DIR>/``; the search page (``search.html``,
``js/search.js``) queries it in the browser: no server-side search.

* Only pages marked ``data-pagefind-body`` (article, event and page content)
  are indexed: listings, the search page and the 404 are not.
* The language, hence French stemming, comes from ``<html lang="fr">``.
* Runs at ``finalized``: after every successful build (``make html``,
  ``make publish``, the development launcher's rebuilds). A build whose
  indexing fails stops with the indexer's message.

Settings: ``SEARCH_INDEX`` (default True), ``SEARCH_BUNDLE_DIR`` (default
``"pagefind"``).
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


def build_index(output: str | Path, bundle_dir: str = "pagefind") -> Path:
    """Index ``output`` into ``output/bundle_dir``; return the bundle folder."""
    output = Path(output).resolve()
    bundle = output / bundle_dir
    # Fragments are content-hashed: drop the previous index so that a removed
    # page cannot be found any more (the output folder is kept between
    # development builds).
    if bundle.is_dir():
        shutil.rmtree(bundle)
    result = subprocess.run(
        [pagefind_executable(), "--site", str(output), "--output-subdir", bundle_dir,
         "--silent"],
        capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError("the search index could not be built (pagefind):\n"
                               + result.stdout + result.stderr)
    return bundle


def configure(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def index_site(pelican):
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", True):
        return
    bundle = build_index(pelican.output_path, settings.get("SEARCH_BUNDLE_DIR", "pagefind"))
    logger.info("search: index written to %s", bundle)


def register():
    signals.initialized.connect(configure)
    signals.finalized.connect(index_site)
