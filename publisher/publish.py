"""The kinds of publication, on top of ``release`` (SITE_ROOT/releases/, ``current``).

* ``full()``: a new release, exactly as ``python -m release publish`` makes
  one (build into ``releases/.building-<id>/``, checks, promote, switch,
  prune), but with Pelican in this process and its content cache loaded
  once the publisher has filled it itself. The build's generators are kept
  (``self.session``): every page's context, computed once.
* ``comments(threads)``: from those generators, the store plugins read the
  store again and the selective writer renders only what shows the changed
  threads (``build.rerender``, ``writer.py``) into a staging folder.
* ``edit(paths)``: an editor changed content files; if only their bodies
  changed, each is read again into the kept generators (``reread.py``) and
  the selective writer renders their pages and the feeds that carry them;
  otherwise a full publication. The links of the re-rendered pages are
  checked against the served release before anything is replaced
  (``staged_links.py``). The search index follows at once: ``search()``.
* ``search()``: Pagefind over the served release, its new bundle moved in
  (``searchindex.py``).

After ``comments`` and ``edit``, every staged file whose bytes differ from
the served release's is moved over it with ``os.replace`` (atomic: a reader
gets the old page or the new one, never half a page); the release keeps its
id. Staging is a ``.building-*`` folder, so that a publication killed
half-way is swept like any failed build.

Why files replaced in place rather than a new release of hard links to the
unchanged files: a comment touches a handful of files, and linking the whole
tree of a large site costs more than the whole comment publication
(benchmarks/bench_publish.py measures both) for the same guarantee per file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from release import Releases, new_release_id
from release.layout import sync_folder
from release.publish import Options, check_release, check_store

from .build import BuildInfo, build, rerender
from . import searchindex, staged_links, waiting
from .reread import reread, swap_bodies

#: In SITE_ROOT, rewritten after each publication: "ok <release>", or
#: "refused" followed by the build's French report on the next lines (the
#: development launcher waits for it before serving, and shows the report in
#: place of the preview's pages while the last build is refused).
STATUS_FILE = ".publisher-status"


def refusal(root: Path) -> str | None:
    """The French report of the last publication when it was refused, else None."""
    try:
        text = (Path(root) / STATUS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    state, _, report = text.partition("\n")
    if state != "refused":
        return None
    return report.strip() or "la construction a échoué"

#: Outputs a selective build writes from the pages it wrote, hence incomplete;
#: a comment never changes them (pelican-sitemap: addresses and dates).
PARTIAL_OUTPUTS = ("sitemap.xml", "sitemap.txt")


@dataclass
class Result:
    kind: str  # "full", "comments", "edit" or "search"
    release: str
    seconds: float
    replaced: list[str] = field(default_factory=list)  # comments: the files changed


def apply_changes(staged: Path, served: Path) -> list[str]:
    """Move every staged file that differs from the served one over it (atomically)."""
    replaced = []
    for path in sorted(staged.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(staged)
        target = served / relative
        try:
            if target.stat().st_size == path.stat().st_size and target.read_bytes() == path.read_bytes():
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        replaced.append(relative.as_posix())
    return replaced


class Publisher:
    """Publishes one site (``Options`` from ``release.load_options``)."""

    def __init__(self, options: Options, cache: Path | str | None = None):
        self.options = options
        self.releases = Releases(options.root)
        self.cache = Path(cache) if cache else options.root / "cache"
        self.cache_filled = False  # by one of our own builds, with these settings
        self.next_due: dt.datetime | None = None
        self.session: BuildInfo | None = None  # the last build's generators
        self.session_release: str | None = None  # the release that build made
        self.read_at = 0.0  # time.time() when the kept page data last read the content
        self.publications = 0

    def due(self, now: dt.datetime | None = None) -> bool:
        if self.next_due is None:
            return False
        return (now or dt.datetime.now(dt.timezone.utc)) >= self.next_due

    def full(self) -> Result:
        started, read_at = time.perf_counter(), time.time()
        with self.releases.lock():
            self.releases.sweep_staging()
            check_store(self.options)
            staging = self.releases.staging(new_release_id())
            try:
                info = build(self.options.settings_file, staging, self.cache,
                             load_cache=True if self.cache_filled else None,
                             content=self.options.content, published=self.releases.current)
                check_release(self.options, staging)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            release_id = self.releases.promote(staging)
            self.releases.switch(release_id)
            self.releases.prune(self.options.keep)
        waiting.write(self.options.root, info.waiting)
        self.cache_filled, self.next_due, self.session = True, info.next_due, info
        self.session_release, self.read_at = release_id, read_at
        self.publications += 1
        return Result("full", release_id, time.perf_counter() - started)

    def partial_ready(self) -> bool:
        """A selective publication can stand on the served release: the one our
        kept build made (not one a rollback or another publication switched
        to), no scheduled article due."""
        return (self.session is not None and not self.due()
                and self.releases.current_id() == self.session_release)

    def comments(self, threads) -> Result:
        """Republish what shows ``threads``; a full publication when there is no
        served release yet, the cache is not ours, or a scheduled article is due."""
        if not self.partial_ready():
            return self.full()
        started = time.perf_counter()
        check_store(self.options)  # a store unmounted meanwhile would empty every thread
        with self.staged() as (staging, release_id):
            rerender(self.session, staging, frozenset(threads))
            replaced = self.apply(staging, release_id)
        return Result("comments", release_id, time.perf_counter() - started, replaced)

    def edit(self, paths, threads=()) -> Result:
        """An editor changed the body of these source files, or an article's
        title or summary (and maybe comments changed too): each is read again
        into the kept page data (``reread.py``) and only what shows it is
        re-rendered; any other change (another field, a new or removed file,
        a mistake the build refuses) makes a full publication. The search index
        is then stale for these pages: the caller runs ``search()`` next
        (``Result.kind == "edit"``)."""
        sources = frozenset(str(p) for p in paths)
        started, read_at = time.perf_counter(), time.time()
        done = reread(self.session.generators, sources) if self.partial_ready() else None
        if done is None:
            return self.full()
        written = {old.save_as: old.source_path for old, _ in done.undo}
        try:
            with self.staged() as (staging, release_id):
                rerender(self.session, staging, frozenset(threads) | done.shown, sources,
                         done.listed)
                staged_links.check(self.session.pelican.settings, staging,
                                   self.releases.folder / release_id, written)
                replaced = self.apply(staging, release_id)
        except BaseException:
            swap_bodies(done.undo)  # the kept pages stay those of the served release
            raise
        self.read_at = read_at
        return Result("edit", release_id, time.perf_counter() - started, replaced)

    def search(self) -> Result:
        """Bring the served release's search index up to date after body
        edits (``searchindex.py``): Pagefind over the served pages, its new
        bundle moved in; a full publication when there is no kept build."""
        if not self.partial_ready():
            return self.full()
        settings = self.session.pelican.settings
        started = time.perf_counter()
        with self.staged() as (staging, release_id):
            replaced = []
            if settings.get("SEARCH_INDEX", True):
                bundle_dir = settings.get("SEARCH_BUNDLE_DIR", "pagefind")
                served = self.releases.folder / release_id
                searchindex.build_bundle(served, staging / bundle_dir, self.session.indexed)
                replaced = searchindex.swap_in(staging / bundle_dir, served / bundle_dir)
                self.publications += 1
        return Result("search", release_id, time.perf_counter() - started, replaced)

    @contextlib.contextmanager
    def staged(self):
        """Under the lock: an empty staging folder and the served release's id."""
        with self.releases.lock():
            release_id = self.releases.current_id()  # a rollback may have switched it
            self.releases.sweep_staging()
            staging = self.releases.staging(new_release_id())
            try:
                yield staging, release_id
            finally:
                shutil.rmtree(staging, ignore_errors=True)

    def apply(self, staging: Path, release_id: str) -> list[str]:
        for name in PARTIAL_OUTPUTS:  # made from the pages written: a few
            (staging / name).unlink(missing_ok=True)
        sync_folder(staging)  # on disk before a rename puts them in place (no empty page after a crash)
        replaced = apply_changes(staging, self.releases.folder / release_id)
        self.publications += 1
        return replaced
