"""The server's git hooks: refuse a wrong push, hand a good one to the publisher.

``pre_receive``: for the pushed publication branch (``main``), the running
publisher checks the commit against its kept build when the push only edits
content files it publishes (``fastcheck.py``: a second); otherwise the content
folder of the new commit is exported into a scratch folder and built exactly
as a publication builds it (``release.publish.run_build`` with the server's
settings, plugins and theme, then ``check_release``) into a scratch output
that nothing serves. A refusal prints the French report on the error output
(git shows it to the editor as ``remote:`` lines), is journaled
(``publisher/journal.py``) and refuses the whole push: the bare repository,
the publisher's checkout and the live release are untouched. Deleting the
publication branch is refused too.

``post_receive``: the publisher's checkout (a clone of the bare repository,
whose content folder the publisher watches) is moved to the new commit. Mode
``publisher`` (default): the long-running publisher sees the changed files
and publishes them (fast path for a body edit, or a full release) and
journals it. Mode ``release``: no long-running publisher; the hook publishes
a full release itself (``Publisher.full``, as ``python -m publisher --once``)
and journals it.

Only the content folder of a push is built: the code that builds it (settings,
plugins, theme) is the server's, never the pushed one (an editor's push runs
no code on the server).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from release import BuildFailed, ReleaseError, load_options
from release.publish import check_release, check_store, run_build

from .. import journal
from . import preview
from .fastcheck import fast_check
from .repo import GitError, changed_files, commit_info, export_tree, git, is_zero

FIX = ("Corrigez ces lignes dans vos fichiers, faites un nouveau commit, puis poussez à "
       "nouveau (git push) ; rien n'a été publié, le site en ligne n'a pas changé.")
MODES = ("publisher", "release")
HEADER_RE = re.compile(r"^\d+ erreurs? dans le contenu ; ")


@dataclass(frozen=True)
class Site:
    """The hooks' settings, kept in the bare repository's git config (``site.*``)."""

    bare: Path
    checkout: Path
    settings: str = "publishconf.py"
    root: str | None = None
    branch: str = "main"
    content: str = "content"
    mode: str = "publisher"

    @classmethod
    def of(cls, bare: Path) -> "Site":
        found = {}  # one git command for every setting (each costs a process)
        for line in git(bare, "config", "--null", "--get-regexp", r"^site\.",
                        check=False).split("\x00"):
            key, _, value = line.partition("\n")
            found[key.strip()[len("site."):]] = value

        def get(name, default=None):
            return found.get(name.lower()) or default

        checkout = get("checkout")
        if not checkout:
            raise ReleaseError(f"dépôt {bare} : réglage site.checkout absent "
                               "(python -m publisher.git install)")
        mode = get("mode", "publisher")
        if mode not in MODES:
            raise ReleaseError(f"réglage site.mode « {mode} » inconnu : {', '.join(MODES)}")
        return cls(bare=bare, checkout=Path(checkout), settings=get("settings", cls.settings),
                   root=get("root"), branch=get("branch", cls.branch),
                   content=get("content", cls.content), mode=mode)

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.branch}"

    def site_root(self) -> Path:
        """SITE_ROOT: the hook's setting when there is one (reading the
        settings file costs a second), else the settings'."""
        return Path(self.root) if self.root else self.options().root

    def options(self, content: Path | None = None, root: Path | None = None):
        """The publication's options; without ``content``, the checkout's (or,
        before the first push, an empty folder: only the settings and root count)."""
        if content is None:
            content = self.checkout / self.content
            if not content.is_dir():
                content = Path(tempfile.gettempdir())
        return load_options(self.settings, str(content), str(root) if root else self.root)


def updates(lines):
    """(old, new, ref) of each line git gives a pre- or post-receive hook."""
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            yield parts[0], parts[1], parts[2]


def check_commit(site: Site, new: str) -> None:
    """Build ``new``'s content as a publication would, into a scratch folder;
    BuildFailed with the French report when it is refused."""
    scratch = Path(tempfile.mkdtemp(prefix="publication-push-"))
    try:
        content = export_tree(site.bare, new, site.content, scratch / "tree",
                              keep_quarantine=True)
        if not content.is_dir():
            raise BuildFailed(f"le commit ne contient pas de dossier « {site.content} » : "
                              "rien à publier")
        live_root = site.options(content=content).root
        options = site.options(content=content, root=scratch / "site")
        output = scratch / "output"
        try:
            check_store(options)
            run_build(options, output)
            # Compared with the live release (no published comment lost by mistake).
            check_release(dataclasses.replace(options, root=live_root), output)
        except BuildFailed as exc:
            raise BuildFailed(for_editors(str(exc), scratch / "tree")) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def for_editors(report: str, tree: Path) -> str:
    """The report without the scratch folder's paths, and, when the editorial
    report is there, that report alone (not Pelican's English lines before it)."""
    report = report.replace(str(tree) + "/", "")
    lines = report.splitlines()
    start = next((i for i, line in enumerate(lines) if HEADER_RE.match(line)), 0)
    return "\n".join(lines[start:])


def check_preview(site: Site, new: str, name: str, err) -> int:
    """pre-receive for ``apercu/<name>``: a valid name, a build that passes."""
    if not preview.valid(name):
        print(preview.BAD_NAME.format(name=name), file=err)
        return 1
    if is_zero(new):
        return 0  # deleted: post-receive removes the preview
    try:
        preview.build(site, new, name)
    except BuildFailed as exc:
        print(f"{exc}\nAperçu refusé : corrigez ces lignes, faites un nouveau commit, puis "
              "poussez à nouveau la branche ; le site en ligne n'est pas concerné.", file=err)
        return 1
    return 0


def pre_receive(site: Site, lines, err=sys.stderr) -> int:
    for old, new, ref in updates(lines):
        name = preview.name_of(ref)
        if name is not None:
            if check_preview(site, new, name, err):
                return 1
            continue
        if ref != site.ref:
            continue
        if is_zero(new):
            print(f"La branche {site.branch} est celle du site en ligne : elle ne peut pas "
                  "être supprimée ; push refusé.", file=err)
            return 1
        started = time.perf_counter()
        try:
            if not fast_check(site, old, new):  # the running publisher answered
                check_commit(site, new)
        except BuildFailed as exc:
            report = str(exc)
            print(report, file=err)
            print(FIX, file=err)
            info = commit_info(site.bare, new, keep_quarantine=True)
            journal.record(site.site_root(), "refused", "push", commit=info.sha,
                           author=info.author, subject=info.subject,
                           files=changed_files(site.bare, old, new, keep_quarantine=True),
                           report=report)
            return 1
        print(f"Vérifié en {time.perf_counter() - started:.1f} s : aucune erreur ; "
              "la publication suit.", file=err)
    return 0


def update_checkout(site: Site, new: str) -> None:
    """The publisher's checkout at ``new`` (files changed in place, removed ones removed)."""
    if not (site.checkout / ".git").exists():
        git(site.checkout.parent, "clone", "--quiet", str(site.bare), str(site.checkout))
    git(site.checkout, "fetch", "--quiet", str(site.bare), site.ref)
    git(site.checkout, "reset", "--hard", "--quiet", new)


def publish_preview(site: Site, new: str, name: str, err) -> None:
    root = site.options().root
    if is_zero(new):
        preview.remove(root, name)
        print(f"Aperçu « {name} » supprimé.", file=err)
        return
    built = preview.staging(root, name, new)
    if not built.is_dir():  # pre-receive did not build it (hooks installed since)
        preview.build(site, new, name)
    preview.put_in_place(root, name, built)
    options = site.options()
    base = options.site_urls[0].rstrip("/") if options.site_urls else ""
    print(f"Aperçu à jour : {base}/{preview.FOLDER}/{name}/ (réservé aux personnes "
          "connectées à la console de modération).", file=err)


def post_receive(site: Site, lines, err=sys.stderr) -> int:
    for old, new, ref in updates(lines):
        name = preview.name_of(ref)
        if name is not None and preview.valid(name):
            publish_preview(site, new, name, err)
            continue
        if ref != site.ref or is_zero(new):
            continue
        try:
            update_checkout(site, new)
        except GitError as exc:
            print(f"La copie de publication n'a pas pu être mise à jour ({exc}) ; "
                  "prévenez l'équipe technique.", file=err)
            return 1
        if site.mode == "release":
            return publish_now(site, old, new, err)
        print("Reçu : le site en ligne sera à jour dans quelques secondes.", file=err)
    return 0


def publish_now(site: Site, old: str, new: str, err) -> int:
    """Mode ``release``: a full release of the checkout, journaled (and the
    list of what waits, ``waiting.py``)."""
    options = site.options()
    info = commit_info(site.checkout, new)
    files = [f for f in changed_files(site.checkout, old, new)
             if f.split("/", 1)[0] == site.content]
    fields = dict(commit=info.sha, author=info.author, subject=info.subject, files=files)
    from ..publish import Publisher

    try:
        release_id = Publisher(options).full().release
    except BuildFailed as exc:
        journal.record(options.root, "refused", "full", report=str(exc), **fields)
        print(f"{exc}\npublication refusée : le site en ligne n'a pas changé", file=err)
        return 1
    journal.record(options.root, "published", "full", release=release_id, **fields)
    print(f"Publié : le site en ligne est à jour (release {release_id}).", file=err)
    return 0
