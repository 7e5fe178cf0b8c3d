"""Previews: a pushed branch ``apercu/<nom>`` built under ``/apercu/<nom>/``.

The branch's content is built with the production settings, except: the
address is ``SITEURL/apercu/<nom>``, and drafts and scheduled texts are
written (under ``brouillons/``, with their banners and ``noindex``, as in
development). The preview has no sitemap and no robots.txt; nginx serves
``SITE_ROOT/apercu/`` with ``X-Robots-Tag: noindex`` to logged-in console
users only (``auth_request``: deploy/nginx/site.conf.in). A preview lives in
``SITE_ROOT/apercu/<nom>/``, outside ``releases/``: it never touches the
live release.

``pre-receive`` builds the pushed commit into
``SITE_ROOT/apercu/.building-<nom>-<commit>`` (a refused build refuses the
push with its report); ``post-receive`` puts it in place with two renames
(the previous preview is removed after), or removes the preview when its
branch is deleted.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from pathlib import Path

from release import BuildFailed
from release.publish import check_release, run_build, waiting_path

from .repo import export_tree

PREFIX = "refs/heads/apercu/"
FOLDER = "apercu"
NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
BAD_NAME = ("nom d'aperçu « {name} » refusé : après « apercu/ », écrivez un nom en lettres "
            "minuscules sans accent, chiffres et tirets (60 caractères au plus), par exemple "
            "apercu/voeux-2027")
#: Settings of a preview build on top of the production ones: drafts and
#: scheduled texts written, as in development (pelicanconf.py's addresses).
DRAFTS = {"DRAFT_URL": "brouillons/{slug}/", "DRAFT_SAVE_AS": "brouillons/{slug}/index.html",
          "DRAFT_PAGE_URL": "brouillons/pages/{slug}/",
          "DRAFT_PAGE_SAVE_AS": "brouillons/pages/{slug}/index.html"}
NOT_IN_A_PREVIEW = ("sitemap.xml", "sitemap.txt", "robots.txt")


def name_of(ref: str) -> str | None:
    """The preview's name for a preview branch (maybe invalid), else None."""
    return ref[len(PREFIX):] if ref.startswith(PREFIX) else None


def valid(name: str) -> bool:
    return bool(NAME_RE.match(name))


def folder(root: Path) -> Path:
    return Path(root) / FOLDER


def staging(root: Path, name: str, sha: str) -> Path:
    return folder(root) / f".building-{name}-{sha}"


def build(site, sha: str, name: str) -> Path:
    """Build commit ``sha`` as preview ``name`` into its staging folder;
    BuildFailed with the French report."""
    options = site.options()
    base = options.site_urls[0].rstrip("/") if options.site_urls else ""
    url = f"{base}/{FOLDER}/{name}"
    output = staging(options.root, name, sha)
    scratch = Path(tempfile.mkdtemp(prefix="apercu-"))
    try:
        content = export_tree(site.bare, sha, site.content, scratch / "tree",
                              keep_quarantine=True)
        if not content.is_dir():
            raise BuildFailed(f"le commit ne contient pas de dossier « {site.content} »")
        # A preview shows no comment it could drop from the live site.
        preview = dataclasses.replace(site.options(content=content, root=scratch / "site"),
                                      site_urls=(url,), allow_dropped_comments=True)
        shutil.rmtree(output, ignore_errors=True)
        output.parent.mkdir(parents=True, exist_ok=True)
        run_build(preview, output, {"SITEURL": url, "SITE_ABSOLUTE_URL": url,
                                    "FEED_DOMAIN": url, **DRAFTS})
        check_release(preview, output)
        for name_ in NOT_IN_A_PREVIEW:
            (output / name_).unlink(missing_ok=True)
    except BaseException as exc:
        shutil.rmtree(output, ignore_errors=True)
        if isinstance(exc, BuildFailed):
            from .hooks import for_editors

            raise BuildFailed(for_editors(str(exc), scratch / "tree")) from None
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        waiting_path(output).unlink(missing_ok=True)  # the build's list of what waits, beside it
    return output


def put_in_place(root: Path, name: str, built: Path) -> Path:
    """``built`` becomes ``SITE_ROOT/apercu/<name>``; the previous one is removed."""
    target = folder(root) / name
    old = folder(root) / f".old-{name}-{os.getpid()}"
    if target.exists():
        os.rename(target, old)
    os.rename(built, target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def remove(root: Path, name: str) -> None:
    shutil.rmtree(folder(root) / name, ignore_errors=True)
    for stale in folder(root).glob(f".building-{name}-*"):
        shutil.rmtree(stale, ignore_errors=True)


def names(root: Path) -> list[str]:
    """The previews in place, by name."""
    try:
        return sorted(p.name for p in folder(root).iterdir() if p.is_dir() and valid(p.name))
    except OSError:
        return []
