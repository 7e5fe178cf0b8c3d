"""Checks over the whole build, at the end of generation.

* two contents with one address (same title or ``Slug:``): the newer file
  is blamed (by date), or both when their dates cannot tell;
* files that are not Markdown in the content folders;
* files Pelican failed to read;
* ``{filename}`` links to drafts (``links``).

Then every recorded problem is reported in one ``ContentError``.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

from .links import check_draft_links
from .problems import (ContentError, display_path, header_lines, problems_of, record_problem,
                       report_lines)

CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations",
                 "hidden_articles", "hidden_translations", "pages", "hidden_pages",
                 "draft_pages", "editorial_contents")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


def contents(generators):
    """Every content object the generators produced, once each."""
    seen = set()
    for gen in generators:
        for attr in CONTENT_LISTS:
            for obj in getattr(gen, attr, None) or []:
                if id(obj) not in seen:
                    seen.add(id(obj))
                    yield obj


def _blame_line(path: str) -> tuple[str, int | None]:
    lines = header_lines(path)
    field = "slug" if "slug" in lines else "title"
    return field, lines.get(field)


def _newest_first(objs):
    """The objects, newest first, or None when their dates cannot tell."""
    try:
        dated = sorted(objs, key=lambda o: o.date, reverse=True)
    except (AttributeError, TypeError):
        return None
    dates = [o.date for o in dated]
    return dated if len(set(dates)) == len(dates) else None


def _blame(settings, objs, what: str) -> None:
    fix = "changez le titre de ce fichier-ci, ou ajoutez-lui une ligne « Slug: » différente"
    ordered = _newest_first(objs)
    if ordered:
        oldest = ordered[-1]
        for obj in ordered[:-1]:
            field, line = _blame_line(obj.source_path)
            record_problem(settings, obj.source_path, field, (
                f"{what} est déjà utilisé par {display_path(settings, oldest.source_path)}, "
                f"plus ancien (daté du {oldest.date:%Y-%m-%d}) ; {fix}"), line)
        return
    for obj in objs:
        field, line = _blame_line(obj.source_path)
        others = ", ".join(display_path(settings, o.source_path) for o in objs if o is not obj)
        record_problem(settings, obj.source_path, field, (
            f"{what} est aussi utilisé par {others} ; dans le plus récent des deux "
            "fichiers, changez le titre ou ajoutez une ligne « Slug: » différente"), line)


def check_collisions(generators, settings) -> None:
    by_slug, by_url = defaultdict(list), defaultdict(list)
    for obj in contents(generators):
        slug = getattr(obj, "slug", None)
        if slug is not None:
            by_slug[(getattr(obj, "lang", ""), slug)].append(obj)
        if getattr(obj, "save_as", ""):
            by_url[obj.save_as].append(obj)
    for (_lang, slug), objs in sorted(by_slug.items(), key=lambda item: str(item[0])):
        if len(objs) > 1:
            _blame(settings, objs, f"l'identifiant « {slug} »")
    for save_as, objs in sorted(by_url.items()):
        if len(objs) > 1 and len({getattr(o, "slug", None) for o in objs}) > 1:
            _blame(settings, objs, f"l'adresse {save_as}")


def check_formats(settings) -> None:
    """Only Markdown belongs in the content folders: Pelican would read an
    .rst or .html file with none of the checks, and ignore an image there
    (images go in content/images/)."""
    base = Path(settings["PATH"])
    folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", []),
               *settings.get("EVENT_PATHS", [])]
    for folder in folders:
        for root, dirs, files in os.walk(base / folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if not name.startswith(".") and not name.endswith(MARKDOWN_SUFFIXES):
                    record_problem(settings, os.path.join(root, name), None,
                                   "ce fichier n'est pas au format Markdown (.md) : seuls les "
                                   "fichiers .md sont publiés depuis ce dossier (les images "
                                   "vont dans content/images/)")


def fail_on_problems(generators) -> None:
    """all_generators_finalized: the build stops before writing anything."""
    settings = generators[0].settings
    problems = problems_of(settings)
    try:
        check_formats(settings)
        check_collisions(generators, settings)
        check_draft_links(settings, contents(generators))
        for gen in generators:
            for rel, obj in gen.context.get("generated_content", {}).items():
                path = os.path.abspath(os.path.join(gen.path, rel))
                if obj is None and path not in problems:
                    record_problem(settings, path, None,
                                   "fichier ignoré par Pelican (voir les messages ci-dessus)")
        lines = report_lines(settings)
    finally:
        problems.clear()  # reported once; a rebuild by the same instance starts clean
    if lines:
        raise ContentError(lines)
