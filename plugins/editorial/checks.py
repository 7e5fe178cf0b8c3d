"""Checks over the whole build, at the end of generation.

* two contents with one address (same title or ``Slug:``): the newer file
  is blamed (by date), or both when their dates cannot tell;
* files that are not Markdown in the content folders;
* files Pelican would silently not publish: at the root of content/, or in a
  folder that is none of the content or static folders (``content/article/``);
  editors' backups (IGNORE_FILES: ``*.md~``, ``.#*``, ``*.swp``, ``~$*``) are
  ignored, by Pelican and here;
* an explorer's copy (``… (1).md``, ``… - Copie.md``): named as such;
* one tag written with other capitals in two files (``Routes``, ``routes``):
  Pelican would name the tag after one of them on the whole site;
* files Pelican failed to read;
* ``{filename}`` links to drafts (``links``).

Then every recorded problem is reported in one ``ContentError``.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from collections import defaultdict
from pathlib import Path

from .links import check_draft_links
from .problems import (ContentError, display_path, header_lines, problems_of, record_problem,
                       report_lines)

CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations",
                 "hidden_articles", "hidden_translations", "pages", "hidden_pages",
                 "draft_pages", "editorial_contents")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
# A file explorer's copy: "a (1).md", "a - Copie.md", "a - Copie (2).md", "a - Copy.md".
COPY_RE = re.compile(r"^(?P<stem>.+?)(?: \(\d+\)| - (?:Copie|Copy)(?: \(\d+\))?)"
                     r"(?P<suffix>\.[A-Za-z]+)$")


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


def copy_of(path: str) -> str | None:
    """The original's name when ``path`` is named like an explorer's copy."""
    match = COPY_RE.match(os.path.basename(path))
    return match["stem"] + match["suffix"] if match else None


def _blame(settings, objs, what: str) -> None:
    copies = [o for o in objs if copy_of(o.source_path)]
    for obj in copies:
        record_problem(settings, obj.source_path, None, (
            f"ce fichier est une copie de « {copy_of(obj.source_path)} » faite par "
            "l'explorateur de fichiers (même titre, même adresse) ; supprimez cette copie, ou, "
            "si c'est un nouveau texte, renommez le fichier (sans « (1) » ni « Copie ») et "
            "changez son titre"))
    objs = [o for o in objs if o not in copies]
    if len(objs) < 2:
        return
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


def ignored(settings, name: str) -> bool:
    return name.startswith(".") or any(fnmatch.fnmatch(name, pattern)
                                       for pattern in settings.get("IGNORE_FILES", ()))


def published_paths(settings) -> list[str]:
    """The folders and files of content/ that a build publishes (relative)."""
    paths = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", []),
             *settings.get("EVENT_PATHS", []), *settings.get("STATIC_PATHS", []),
             *(settings.get("TEMPLATE_PAGES") or {}), *(settings.get("EXTRA_PATH_METADATA") or {}),
             # data files that other plugins read (plugins/accessibility: the statement)
             *(settings.get("EDITORIAL_DATA_PATHS") or [])]
    return [p.strip("/") for p in paths if p and p.strip("/")]


def check_placement(settings) -> None:
    """Every file of content/ is in a folder the build publishes."""
    base = Path(settings["PATH"])
    known = published_paths(settings)
    folders = sorted({p.split("/", 1)[0] for p in known if (base / p).is_dir() or "/" in p})
    for root, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = Path(root).relative_to(base).as_posix()
        for name in files:
            rel = name if rel_root == "." else f"{rel_root}/{name}"
            if ignored(settings, name) or any(rel == p or rel.startswith(p + "/") for p in known):
                continue
            if rel_root == ".":
                where = ("fichier à la racine de content/ : il ne serait pas publié ; déplacez-le dans "
                         "content/articles/ (un article), content/pages/ (une page)")
                where += " ou content/events/ (un événement)" if "events" in folders else ""
            else:
                top = rel.split("/", 1)[0]
                close = difflib.get_close_matches(top, folders, n=1, cutoff=0.6)
                where = (f"dossier content/{top}/ inconnu : ce fichier ne serait pas publié ; "
                         + (f"vouliez-vous dire content/{close[0]}/ ? déplacez-le dans ce dossier"
                            if close else "dossiers publiés : "
                            + ", ".join(f"content/{f}/" for f in folders)))
            record_problem(settings, os.path.join(root, name), None, where)


def check_tag_spellings(settings, objs) -> None:
    """One tag, one spelling: the minority spellings are refused."""
    by_slug = defaultdict(lambda: defaultdict(list))
    for obj in objs:
        for tag in getattr(obj, "tags", None) or []:
            by_slug[tag.slug][tag.name].append(obj)
    for spellings in by_slug.values():
        if len(spellings) < 2:
            continue
        ranked = sorted(spellings.items(), key=lambda item: (-len(item[1]), item[0]))
        usual, users = ranked[0]
        for name, objs_ in ranked[1:]:
            for obj in objs_:
                record_problem(settings, obj.source_path, "tags", (
                    f"l'étiquette « {name} » s'écrit « {usual} » dans "
                    f"{display_path(settings, users[0].source_path)}"
                    + (f" et {len(users) - 1} autre(s) fichier(s)" if len(users) > 1 else "")
                    + f" ; écrivez « {usual} » (sinon l'étiquette changerait de nom sur tout "
                    "le site)"))


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
                if not ignored(settings, name) and not name.endswith(MARKDOWN_SUFFIXES):
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
        check_placement(settings)
        check_collisions(generators, settings)
        check_tag_spellings(settings, contents(generators))
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
