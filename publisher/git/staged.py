"""The checks of a few content files, without building the site.

    python -m publisher.git staged [-s pelicanconf.py] content/articles/a.md …

For the ``pre-commit`` hook (``.pre-commit-config.yaml``): the files an
editor is about to commit are read by the editorial reader exactly as a build
reads them (header, fields, values, body links and markup), with the event
fields (``plugins/events``), the HTML policy (``plugins/htmlpolicy``) and the
expiry field (``plugins/expiry``) of each file. What needs the whole site (two
files with one address, links to drafts, images, the built pages' links) is
checked at the push by a full build (``publisher/git``).

Prints the build's French report (same lines, same form) and exits 1 when a
file is wrong; prints nothing and exits 0 otherwise. Files outside the
content folder, or not Markdown, are skipped. Settings are read without
loading Pelican's plugins (a second of imports): only the fields the checked
plugins add are declared here. Needs ``plugins/`` on ``sys.path``
(``python -m publisher.git staged`` puts it there).
"""

from __future__ import annotations

import argparse
import os
import sys
from types import SimpleNamespace

from editorial import Refused
from editorial.checks import MARKDOWN_SUFFIXES
from editorial.problems import count_errors, report_lines


def configure(settings) -> None:
    """What the plugins' ``initialized`` handlers would add, for the readers."""
    from collections import defaultdict

    from editorial.problems import PROBLEMS_KEY

    settings[PROBLEMS_KEY] = defaultdict(list)
    plugins = set(settings.get("PLUGINS") or ())
    fields = dict(settings.get("EDITORIAL_FIELDS") or {})
    if "events" in plugins:
        from events.generator import DEFAULTS
        from events.model import EVENT_FIELDS

        for key, value in DEFAULTS.items():
            settings.setdefault(key, value)
        for folder in settings["EVENT_PATHS"]:
            fields[folder] = set(fields.get(folder, ())) | set(EVENT_FIELDS)
    settings["EDITORIAL_FIELDS"] = fields
    if "expiry" in plugins:
        from expiry import declare_fields

        declare_fields(settings)


def in_content(settings, path: str) -> bool:
    base = os.path.abspath(settings["PATH"])
    full = os.path.abspath(path)
    return full.startswith(base + os.sep) and full.endswith(MARKDOWN_SUFFIXES)


def check_file(settings, reader, path: str) -> None:
    """Record the problems of one file in ``settings`` (as a build would)."""
    from editorial import read_metadata
    from editorial.reader import content_kind

    plugins = set(settings.get("PLUGINS") or ())
    try:
        content, metadata = reader.read(path)
    except Refused:
        content, metadata = "", read_metadata(settings, path)
    kind = content_kind(settings, path)
    if "events" in plugins and kind in settings.get("EVENT_PATHS", ()):
        from zoneinfo import ZoneInfo

        from events.model import parse_event_fields

        from editorial import record_problem

        tz = ZoneInfo(settings.get("TIMEZONE") or "Europe/Paris")
        for field, message in parse_event_fields(metadata, tz)[1]:
            record_problem(settings, path, field, message)
    if "expiry" in plugins:
        from expiry import check_metadata

        check_metadata(settings, path, metadata)
    if "htmlpolicy" in plugins and settings.get("HTML_POLICY", True) and content:
        from htmlpolicy.plugin import check_content

        check_content(settings, SimpleNamespace(source_path=path, metadata=metadata,
                                                _content=content))


def check_files(settings_file: str, paths) -> list[str]:
    """The report's lines for these files (empty: all good)."""
    from pelican.settings import read_settings

    from editorial import EditorialMarkdownReader

    settings = read_settings(settings_file)
    configure(settings)
    reader = EditorialMarkdownReader(settings)
    for path in paths:
        if in_content(settings, path) and os.path.isfile(path):
            check_file(settings, reader, path)
    return report_lines(settings)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m publisher.git staged",
        description="Vérifie des fichiers du contenu (en-tête, champs, texte) sans construire "
                    "le site.")
    parser.add_argument("-s", "--settings", default="pelicanconf.py", help="fichier de réglages")
    parser.add_argument("files", nargs="*", help="fichiers Markdown du contenu")
    args = parser.parse_args(argv)
    try:
        lines = check_files(args.settings, args.files)
    except Exception as error:  # the report is for editors; this is for the technical team
        print(f"La vérification a échoué pour une raison technique "
              f"({type(error).__name__} : {error}) ; prévenez l'équipe technique.",
              file=sys.stderr)
        return 2
    if lines:
        print(f"{count_errors(len(lines))} dans le contenu ; rien n'a été enregistré :",
              *lines, "Corrigez, puis refaites « git add » et « git commit ».",
              sep="\n", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
