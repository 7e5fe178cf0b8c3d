"""Pelican's Markdown reader, with the strict header and its checks.

The header is read by ``frontmatter`` (not Python-Markdown's ``meta``
extension), the body by Python-Markdown without that extension. Every
problem is recorded with its file and line; a file with problems is then
refused (``Refused``), which stops the build at the end of generation.
"""

from __future__ import annotations

import os

from markdown import Markdown
from pelican.readers import _DISCARD, MarkdownReader
from pelican.utils import slugify

from comment_service.store import is_thread_id

from .fields import (bounded_slug, canonical_category, check_metadata, known_fields,
                     parse_strict_date)
from .body import body_problems, control_characters
from .frontmatter import NotUtf8, decode, parse_header, same_words
from .links import check_markup
from .problems import FieldError, Refused, record_problem
from .textrules import header_problems, tidy_tags, tidy_title
from .sources import source_bytes

# Kinds of content whose text may not be empty.
TEXT_REQUIRED = ("articles", "pages")

META = "markdown.extensions.meta"


def content_kind(settings, source_path: str) -> str | None:
    """'articles', 'pages', or the name of another content folder (events)."""
    base = os.path.abspath(settings["PATH"])
    rel = os.path.relpath(os.path.abspath(source_path), base)
    first = rel.split(os.sep, 1)[0]
    for kind, key in (("articles", "ARTICLE_PATHS"), ("pages", "PAGE_PATHS")):
        if first in settings.get(key, []):
            return kind
    return first


def body_markdown(settings) -> Markdown:
    """Python-Markdown as configured, without the meta extension (the header
    is already read: a body paragraph must never become metadata)."""
    config = dict(settings["MARKDOWN"])
    config["extensions"] = [e for e in config.get("extensions", []) if e != META]
    config["extension_configs"] = {k: v for k, v in config.get("extension_configs", {}).items()
                                   if k != META}
    return Markdown(**config)


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

    _prefetch = None

    def use_prefetch(self, prefetch) -> None:
        """Take results from ``prefetch.Prefetch`` (None: stop, and end it)."""
        if self._prefetch is not None:
            self._prefetch.close()
        self._prefetch = prefetch

    def read(self, source_path):
        if self._prefetch is not None:
            found = self._prefetch.take(source_path)
            if found is not None:
                return found
        self._source_path = source_path
        self._field_problems = []
        settings = self.settings
        kind = content_kind(settings, source_path)
        try:
            text = decode(source_bytes(source_path))
        except NotUtf8 as exc:
            record_problem(settings, source_path, None, str(exc), exc.line)
            raise Refused("encoding", str(exc)) from None
        controls = control_characters(text)
        if controls:  # no page, feed or cache could carry them
            for line, message in controls:
                record_problem(settings, source_path, None, message, line)
            raise Refused("texte", controls[0][1])
        header = parse_header(text, known_fields(settings, kind))
        problems = [(field, message, line) for line, field, message in header.problems]
        self._md = self._body_markdown()
        content = self._md.convert(header.body)
        metadata = self._metadata(header)
        found = self._field_problems + check_metadata(
            settings, kind, {k: v for k, v in metadata.items() if v is not _DISCARD},
            skip={field for field, _ in self._field_problems})
        found += self._slug_problems(metadata)
        found += header_problems(settings, kind, source_path, self._raw(header))
        problems += [(field, message, header.line_of(field)) for field, message in found]
        problems += [(None, message, line) for line, message in
                     body_problems(header.body, content, kind in TEXT_REQUIRED)]
        for field, message, line in problems:
            record_problem(settings, source_path, field, message, line)
        if problems:
            check_markup(settings, source_path, content)  # every problem of the file at once
            raise Refused(problems[0][0] or "en-tête", problems[0][1])
        return content, metadata

    def _body_markdown(self) -> Markdown:
        """One Python-Markdown for every file this reader reads (building it
        is a fifth of reading a short article), reset between documents as
        Python-Markdown asks."""
        md = getattr(self, "_body_md", None)
        if md is None:
            md = self._body_md = body_markdown(self.settings)
        else:
            md.reset()
        return md

    @staticmethod
    def _raw(header) -> dict[str, str]:
        """The header's values as written (quotes around titles and tags removed)."""
        raw = {name: field.value for name, field in header.fields.items()}
        if "title" in raw:
            raw["title"] = tidy_title(raw["title"])
        if "tags" in raw:
            raw["tags"] = tidy_tags(raw["tags"])
        return raw

    def _metadata(self, header) -> dict:
        formatted = self.settings["FORMATTED_FIELDS"]
        metadata = {}
        for name, value in self._raw(header).items():
            if name == "category":
                value = canonical_category(value, self.settings.get("EDITORIAL_CATEGORIES"))
            elif name in ("tags", "authors"):
                value = same_words(value)
            if name in formatted:
                self._md.reset()
                value = self._md.convert(value)
            metadata[name] = self.process_metadata(name, value)
        return metadata

    def _slug_problems(self, metadata) -> list[tuple[str, str]]:
        """A slug made from the title is bounded (SLUG_MAX) and must be a
        comment thread id: comments are never closed silently."""
        title = metadata.get("title")
        if "slug" in metadata or not isinstance(title, str) or not title.strip() \
                or self.settings.get("SLUGIFY_SOURCE", "title") != "title":
            return []
        made = slugify(
            title, regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=self.settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=self.settings.get("SLUGIFY_USE_UNICODE", False))
        slug = bounded_slug(made)
        if not is_thread_id(slug):
            return [("title", f"le titre donne l'identifiant d'URL « {slug} », qui n'est pas "
                     "valide ; ajoutez une ligne « Slug: » (lettres minuscules sans accent, "
                     "chiffres et tirets)")]
        if slug != made:
            metadata["slug"] = slug
        return []


def add_reader(readers):
    for ext in EditorialMarkdownReader.file_extensions:
        readers.reader_classes[ext] = EditorialMarkdownReader


def read_metadata(settings, source_path: str) -> dict:
    """The metadata of a file as the editorial reader reads its header, whatever
    its problems (recorded by the reader, not here): for plugins that check
    more fields of a file the reader refused. Unreadable file: {}."""
    reader = EditorialMarkdownReader(settings)
    reader._field_problems = []
    try:
        text = decode(source_bytes(source_path))
    except (OSError, NotUtf8):
        return {}
    header = parse_header(text, known_fields(settings, content_kind(settings, source_path)))
    reader._md = body_markdown(settings)
    return {k: v for k, v in reader._metadata(header).items() if v is not _DISCARD}
