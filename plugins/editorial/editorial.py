"""Strict reading of Markdown front matter, and a build that fails on errors.

How it works:

* a Markdown reader subclass checks each file's metadata as it is read
  (required fields, strict ISO dates, known categories, statuses and fields,
  slug shape) and records every problem with the file and the field;
* other plugins can record problems too (``record_problem(settings, path,
  field, message)``);
* once all generators have run, every recorded problem, every file Pelican
  failed to read, and every slug or URL shared by two files is reported in
  one error that stops the build (``ContentError``).

The recorded problems belong to one build: they are kept in that build's
settings (each Pelican instance has its own dict, shared by its readers,
generators and contents), never in a module global, so that two builds in
one process cannot see each other's problems.

Messages are in French: they are read by editors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections import defaultdict
from pathlib import Path

from pelican import signals
from pelican.readers import MarkdownReader

logger = logging.getLogger(__name__)

# Slugs become URL segments and comment thread identifiers.
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$")
DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[ T](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
STATUSES = ("published", "draft", "hidden")

# Fields an editor may use, per content folder. Other plugins extend this
# through the EDITORIAL_FIELDS setting.
DEFAULT_FIELDS = {
    "articles": {
        "title", "date", "modified", "category", "tags", "summary", "slug",
        "status", "author", "authors", "image", "image_alt", "comments",
        "lang", "translation",
    },
    "pages": {
        "title", "slug", "status", "summary", "template", "save_as", "url",
        "modified", "comments", "lang", "menu", "order",
    },
}
REQUIRED = {
    "articles": ("title", "date", "category", "summary"),
    "pages": ("title",),
}
FIELD_HELP = {
    "title": "ajoutez une ligne « Title: Le titre de l'article »",
    "date": "ajoutez une ligne « Date: 2014-06-12 » (ou « 2014-06-12 10:30 »)",
    "category": "ajoutez une ligne « Category: » suivie d'une catégorie autorisée",
    "summary": "ajoutez une ligne « Summary: » avec le chapô (une ou deux phrases)",
}

# In a build's settings: path -> list of (field, message); filled while
# reading, emptied when the build reports them.
PROBLEMS_KEY = "_EDITORIAL_PROBLEMS"


class ContentError(Exception):
    """One or more content files are wrong; the message lists them all."""

    exitcode = 1


class FieldError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"champ « {field} » : {message}")
        self.field = field
        self.message = message


def problems_of(settings) -> dict[str, list[tuple[str, str]]]:
    """The problems recorded so far by the build these settings belong to."""
    found = settings.get(PROBLEMS_KEY)
    if found is None:
        found = settings[PROBLEMS_KEY] = defaultdict(list)
    return found


def record_problem(settings, source_path: str, field: str | None, message: str) -> None:
    """Record an editorial problem of this build; it fails at the end of generation."""
    found = problems_of(settings)[os.path.abspath(source_path)]
    if (field or "", message) not in found:
        found.append((field or "", message))


def display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def parse_strict_date(value: str, field: str) -> dt.datetime:
    """ISO dates only: 12/06/2014 would be read as 6 December by dateutil."""
    match = DATE_RE.match(value.strip())
    if not match:
        raise FieldError(
            field,
            f"date « {value} » illisible ; écrivez-la au format AAAA-MM-JJ, "
            "éventuellement suivie de l'heure HH:MM (exemple : 2014-06-12 10:30)",
        )
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return dt.datetime(
            parts["y"], parts["m"], parts["d"],
            parts.get("H", 0), parts.get("M", 0), parts.get("S", 0),
        )
    except ValueError:
        raise FieldError(field, f"la date « {value} » n'existe pas dans le calendrier") from None


def content_kind(settings, source_path: str) -> str | None:
    """'articles', 'pages', or the name of another content folder (events)."""
    base = os.path.abspath(settings["PATH"])
    rel = os.path.relpath(os.path.abspath(source_path), base)
    first = rel.split(os.sep, 1)[0]
    for kind, key in (("articles", "ARTICLE_PATHS"), ("pages", "PAGE_PATHS")):
        if first in settings.get(key, []):
            return kind
    return first


class EditorialMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with strict, well-explained metadata checks."""

    def process_metadata(self, name, value):
        """Pelican's processing, but a bad value is noted, not fatal at once,
        so that one build lists every problem of the file."""
        try:
            if name in ("date", "modified") and isinstance(value, str):
                value = parse_strict_date(value, name).strftime("%Y-%m-%d %H:%M:%S")
            return super().process_metadata(name, value)
        except FieldError as exc:
            self._field_problems.append((exc.field, exc.message))
        except Exception as exc:  # Pelican's processors raise plain errors
            self._field_problems.append((name, f"valeur « {value} » illisible ({exc})"))
        return value

    def read(self, source_path):
        self._field_problems = []
        try:
            content, metadata = super().read(source_path)
        except Exception as exc:
            record_problem(self.settings, source_path, None, f"fichier illisible : {exc}")
            raise
        problems = self._field_problems + self.check(source_path, metadata)
        for field, message in problems:
            record_problem(self.settings, source_path, field, message)
        if problems:
            raise FieldError(*problems[0])
        return content, metadata

    def check(self, source_path, metadata):
        kind = content_kind(self.settings, source_path)
        problems = []
        fields_by_kind = {**DEFAULT_FIELDS}
        for k, extra in self.settings.get("EDITORIAL_FIELDS", {}).items():
            fields_by_kind[k] = set(fields_by_kind.get(k, set())) | set(extra)
        known = fields_by_kind.get(kind)
        if known is not None:
            for name in metadata:
                if name not in known:
                    problems.append((
                        name,
                        "inconnu (faute de frappe ?) ; champs possibles : "
                        + ", ".join(sorted(known)),
                    ))
        for name in REQUIRED.get(kind, ("title",)):
            value = metadata.get(name)
            if any(field == name for field, _ in self._field_problems):
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                problems.append((name, "obligatoire, mais absent ou vide ; "
                                 + FIELD_HELP.get(name, "")))
        allowed = self.settings.get("EDITORIAL_CATEGORIES")
        category = metadata.get("category")
        if kind == "articles" and allowed and category is not None:
            if str(category) not in allowed:
                problems.append((
                    "category",
                    f"catégorie « {category} » inconnue ; catégories autorisées : "
                    + ", ".join(allowed),
                ))
        status = metadata.get("status")
        if status is not None and status not in STATUSES:
            problems.append(("status", f"statut « {status} » inconnu ; valeurs possibles : "
                             "published (publié), draft (brouillon), hidden (caché)"))
        slug = metadata.get("slug")
        if slug is not None and not SLUG_RE.match(slug):
            problems.append(("slug", f"« {slug} » n'est pas un identifiant d'URL valide : "
                             "lettres minuscules sans accent, chiffres et tirets"))
        comments = metadata.get("comments")
        if comments is not None and str(comments).strip().lower() not in ("open", "closed"):
            problems.append(("comments", f"valeur « {comments} » inconnue ; "
                             "valeurs possibles : open, closed"))
        return problems


def add_reader(readers):
    for ext in EditorialMarkdownReader.file_extensions:
        readers.reader_classes[ext] = EditorialMarkdownReader


def _contents(generators):
    """Every content object the generators produced, with its kind."""
    for gen in generators:
        for attr in ("articles", "translations", "drafts", "drafts_translations",
                     "hidden_articles", "hidden_translations", "pages",
                     "hidden_pages", "draft_pages"):
            for obj in getattr(gen, attr, None) or []:
                yield obj
        for obj in getattr(gen, "editorial_contents", None) or []:
            yield obj


def check_collisions(generators, settings):
    seen_slug = {}
    seen_url = {}
    found = []
    done = set()
    for obj in _contents(generators):
        if id(obj) in done:
            continue
        done.add(id(obj))
        path = obj.source_path
        slug_key = (getattr(obj, "lang", ""), getattr(obj, "slug", None))
        if slug_key[1] is not None:
            other = seen_slug.setdefault(slug_key, path)
            if other != path:
                found.append((path, "slug", f"l'identifiant « {slug_key[1]} » est déjà utilisé "
                              f"par {display_path(other)} ; changez le titre ou ajoutez "
                              "une ligne « Slug: » différente"))
        save_as = getattr(obj, "save_as", "")
        if save_as:
            other = seen_url.setdefault(save_as, path)
            if other != path and seen_slug.get(slug_key) != other:
                found.append((path, "slug", f"la page {save_as} serait aussi écrite par "
                              f"{display_path(other)}"))
    for path, field, message in found:
        record_problem(settings, path, field, message)


def check_formats(settings):
    """Only Markdown belongs in the content folders: Pelican would read an
    .rst or .html file with none of the checks above, and ignore an image
    there (images go in content/images/)."""
    base = Path(settings["PATH"])
    markdown = tuple("." + ext for ext in EditorialMarkdownReader.file_extensions)
    folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", []),
               *settings.get("EVENT_PATHS", [])]
    for folder in folders:
        for root, dirs, files in os.walk(base / folder):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if not name.startswith(".") and not name.endswith(markdown):
                    record_problem(settings, os.path.join(root, name), None,
                                   "ce fichier n'est pas au format Markdown (.md) : seuls les "
                                   "fichiers .md sont publiés depuis ce dossier (les images "
                                   "vont dans content/images/)")


def fail_on_problems(generators):
    settings = generators[0].settings
    problems = problems_of(settings)
    try:
        check_formats(settings)
        check_collisions(generators, settings)
        for gen in generators:
            for rel, obj in gen.context.get("generated_content", {}).items():
                path = os.path.abspath(os.path.join(gen.path, rel))
                if obj is None and path not in problems:
                    record_problem(settings, path, None,
                                   "fichier ignoré par Pelican (voir les messages ci-dessus)")
        lines = []
        for path in sorted(problems):
            for field, message in problems[path]:
                where = display_path(path)
                lines.append(f"- {where} : champ « {field} » : {message}" if field
                             else f"- {where} : {message}")
    finally:
        problems.clear()  # reported once; a rebuild by the same instance starts clean
    if lines:
        raise ContentError(f"{len(lines)} erreur(s) dans le contenu ; rien n'a été publié :\n"
                           + "\n".join(lines))


def rules_digest(settings) -> str:
    """What the checks depend on: this module's code and the editorial settings."""
    rules = [settings.get("EDITORIAL_CATEGORIES"),
             {k: sorted(v) for k, v in settings.get("EDITORIAL_FIELDS", {}).items()},
             settings.get("MARKDOWN")]
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(json.dumps(rules, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def reset(pelican):
    pelican.settings[PROBLEMS_KEY] = defaultdict(list)
    # The checks run in the reader, and Pelican's content cache skips the
    # reader for unchanged files: a cache made under other rules must not be
    # trusted. One cache folder per set of rules.
    settings = pelican.settings
    if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH"):
        settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"],
                                              "regles-" + rules_digest(settings))


class _NoTraceback(logging.Filter):
    """Editors need the list of problems, not a Python traceback."""

    def filter(self, record):
        if record.exc_info and isinstance(record.exc_info[1], ContentError):
            record.exc_info = None
            record.exc_text = None
        return True


_filter = _NoTraceback()


def register():
    logging.getLogger("pelican").addFilter(_filter)
    signals.initialized.connect(reset)
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(fail_on_problems)
