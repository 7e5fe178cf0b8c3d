"""Publish, roll back, list: the steps around ``layout.Releases``.

``publish``: under the lock, sweep builds left by a failed or killed
publication, build with Pelican (a child process) into a new staging folder,
run the link check on it again (``plugins/linkcheck``: it also runs inside
every build, but a publication does not rely on a settings file listing the
plugin) unless the build's own check provably covered this very folder with
the same settings (its record, ``linkcheck/record.py``), promote it to a
release, switch ``current``, prune old releases.
Any failure before the switch leaves ``current`` exactly as it was.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import comments_kept
from .layout import Releases, ReleaseError, new_release_id

ROOT = Path(__file__).resolve().parents[1]


class BuildFailed(Exception):
    """The build or a check refused the content; nothing was switched."""


@dataclass(frozen=True)
class Options:
    settings_file: Path
    content: Path
    root: Path
    keep: int
    site_urls: tuple[str, ...]
    ignore: tuple[str, ...]
    manifest: str
    search_dir: str
    store: Path = Path()
    store_required: bool = False
    opendata_dir: str = "donnees/"
    allow_dropped_comments: bool = False


def load_options(settings_file: str, content: str | None = None, root: str | None = None,
                 keep: str | int | None = None, allow_dropped_comments: bool = False) -> Options:
    """The publication's settings, read from the settings file (publishconf.py)."""
    from pelican.settings import read_settings

    path = (ROOT / settings_file).resolve()
    if not path.is_file():
        raise ReleaseError(f"fichier de réglages introuvable : {settings_file}")
    cwd = os.getcwd()
    os.chdir(ROOT)  # publishconf.py imports pelicanconf.py from the current folder
    override = {"PATH": str((ROOT / content).resolve())} if content else None
    try:
        settings = read_settings(str(path), override=override)
    except Exception as exc:  # a settings file is Python: anything can go wrong
        raise ReleaseError(f"réglages illisibles ({settings_file}) : {exc}") from None
    finally:
        os.chdir(cwd)
    from comment_service import defaults

    raw_keep = keep if keep is not None else settings.get("RELEASES_KEEP", defaults.RELEASES_KEEP)
    try:
        keep_n = int(raw_keep)
        if keep_n < 1:
            raise ValueError
    except (TypeError, ValueError):
        raise ReleaseError(f"RELEASES_KEEP doit être un nombre entier d'au moins 1 "
                           f"(reçu : « {raw_keep} »)") from None
    service = settings.get("COMMENTS_SERVICE_URL") or ""
    return Options(
        settings_file=path,
        content=(ROOT / (content or settings.get("PATH") or "content")).resolve(),
        root=(ROOT / (root or settings.get("SITE_ROOT") or defaults.SITE_ROOT)).resolve(),
        keep=keep_n,
        # The very addresses the build's own check used (its record compares them).
        site_urls=tuple(u for u in _linkcheck().own_urls(settings) if u),
        ignore=(service,) if service.startswith("/") else (),
        manifest=settings.get("COMMENTS_MANIFEST") or defaults.THREADS_MANIFEST,
        search_dir=settings.get("SEARCH_BUNDLE_DIR", "pagefind"),
        store=Path(os.path.abspath(settings.get("COMMENTS_STORE") or defaults.STORE)),
        store_required=bool(settings.get("COMMENTS_STORE_REQUIRED")),
        opendata_dir=settings.get("OPENDATA_URL", "donnees/"),
        allow_dropped_comments=allow_dropped_comments,
    )


def record_path(staging: Path) -> Path:
    """Where the build's link check notes what it covered (beside the staging
    folder, swept with it)."""
    return staging.with_name(staging.name + ".linkcheck.json")


def waiting_path(staging: Path) -> Path:
    """Where the build lists what waits (plugins/schedule, ``waiting.py``):
    beside the staging folder, never in the published output, swept with it."""
    return staging.with_name(staging.name + ".waiting.txt")


def run_build(options: Options, output: Path, extra: dict | None = None) -> None:
    """Pelican into ``output``; raise BuildFailed with its report on failure.
    A SIGTERM or Ctrl-C stops the child too (nothing is switched).
    ``extra``: settings on top of the settings file (a preview's)."""
    cache = options.root / "cache"
    command = [sys.executable, "-m", "pelican", str(options.content), "-o", str(output),
               "-s", str(options.settings_file), "--log-handler", "plain",
               # An error Pelican only logs (a plugin that cannot load, a file it
               # skips) must stop a publication, not leave a page out.
               "--fatal", "errors",
               "-e", f"CACHE_PATH={json.dumps(str(cache))}",
               f"LINKCHECK_RECORD={json.dumps(str(record_path(output)))}",
               # One -e for every setting (a second -e would replace the first list).
               f"SCHEDULE_WAITING_FILE={json.dumps(str(waiting_path(output)))}",
               # What readers are served: an event new in this build and already over is refused.
               f"EVENTS_PUBLISHED_OUTPUT={json.dumps(str(Releases(options.root).current))}"]
    command += [f"{key}={json.dumps(value)}" for key, value in (extra or {}).items()]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)

    def stop(signum, _frame):
        child.terminate()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        report, _ = child.communicate()
    except KeyboardInterrupt:
        child.kill()
        child.wait()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    if child.returncode != 0:
        raise BuildFailed(readable(report) or f"la construction a échoué (code {child.returncode})")


def readable(report: str) -> str:
    """The build's messages without Python tracebacks or Pelican's summary,
    each line once (the editorial report is already French and complete)."""
    kept, in_traceback = [], False
    for line in report.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
            continue
        if in_traceback:
            if line.startswith((" ", "During handling")) or not line.strip():
                continue
            in_traceback = False
            continue  # the exception line closing the traceback
        if (line.startswith("Done: Processed") or (line.startswith("and ") and "pages in" in line)
                or not line.strip() or line in kept):
            continue
        kept.append(line)
    return "\n".join(kept)


def check_store(options: Options) -> None:
    """Before a build: the comment store it reads exists (release/comments_kept.py)."""
    refusal = comments_kept.check_store(options.store, options.store_required)
    if refusal:
        raise BuildFailed(refusal)


def _linkcheck():
    """plugins/linkcheck (the plugins folder is not on the path of a command)."""
    plugins = str(ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.insert(0, plugins)
    import linkcheck

    return linkcheck


def check_release(options: Options, output: Path) -> None:
    """What a release must hold before it is served. The link check runs
    again on the folder unless the build's record shows that its own check
    read this very folder, every page as a source, with these settings.
    No comment the served release shows is lost by mistake (comments_kept)."""
    missing = [name for name in ("index.html", "404.html", options.manifest)
               if not (output / name).is_file()]
    if missing:
        raise BuildFailed("la construction est incomplète : " + ", ".join(missing) + " manque")
    if not options.allow_dropped_comments:
        refusal = comments_kept.check_kept(Releases(options.root).current, output, store=options.store,
                                           opendata_dir=options.opendata_dir, manifest=options.manifest)
        if refusal:
            raise BuildFailed(refusal)
    check_output, covered = _linkcheck().check_output, _linkcheck().covered

    record = record_path(output)
    try:
        if covered(record, output, options.site_urls, options.ignore, (options.search_dir,)):
            return
    finally:
        record.unlink(missing_ok=True)
    broken = check_output(output, options.site_urls, options.ignore,
                          skip_dirs=(options.search_dir,))
    if broken:
        raise BuildFailed(f"{len(broken)} lien(s) cassé(s) dans le site construit :\n" + "\n".join(
            f"- page {b.page} : {b.message()}" for b in broken))


def publish(options: Options, say=print) -> str:
    """Build, check and serve a new release; return its id."""
    releases = Releases(options.root)
    with releases.lock():
        for name in releases.sweep_staging():
            say(f"construction interrompue supprimée : releases/{name}")
        check_store(options)
        staging = releases.staging(new_release_id())
        try:
            run_build(options, staging)
            check_release(options, staging)
        except BaseException:
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
            record_path(staging).unlink(missing_ok=True)
            waiting_path(staging).unlink(missing_ok=True)
            raise
        waiting = waiting_path(staging)
        try:
            waiting_lines = waiting.read_text(encoding="utf-8").splitlines()
        except OSError:
            waiting_lines = []
        waiting.unlink(missing_ok=True)
        release_id = releases.promote(staging)
        before = releases.current_id()
        releases.switch(release_id)
        removed = releases.prune(options.keep)
    say(f"publié : release {release_id}, servie par {releases.current}")
    if before:
        say(f"précédente : {before} (pour y revenir : python -m release rollback)")
    for name in removed:
        say(f"ancienne release supprimée : {name}")
    for line in waiting_lines:
        say(line)
    return release_id


def rollback(options: Options, to: str | None = None, say=print) -> str:
    releases = Releases(options.root)
    with releases.lock():
        current = releases.current_id()
        target = to or releases.previous()
        if target is None:
            raise ReleaseError("aucune release précédente : rien à restaurer "
                               "(voir python -m release list)")
        if target == current:
            raise ReleaseError(f"la release {target} est déjà celle qui est servie")
        releases.switch(target)
    say(f"restauré : release {target}, servie par {releases.current}"
        + (f" (à la place de {current})" if current else ""))
    return target


def listing(options: Options, say=print) -> list[str]:
    releases = Releases(options.root)
    current = releases.current_id()
    ids = releases.ids()
    if not ids:
        say(f"aucune release dans {releases.folder}")
    for release_id in reversed(ids):
        say(("* " if release_id == current else "  ") + release_id
            + ("  (servie)" if release_id == current else ""))
    return ids
