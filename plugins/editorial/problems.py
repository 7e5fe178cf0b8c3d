"""The problems one build found, and the French report that stops it.

The recorded problems belong to one build: they are kept in that build's
settings (each Pelican instance has its own dict, shared by its readers,
generators and contents), never in a module global, so that two builds in
one process cannot see each other's problems.

Report format (one line per problem, never wrapped)::

    2 erreurs dans le contenu ; rien n'a été publié :
    - content/articles/a.md, ligne 3 : champ « date » : …
    - content/articles/b.md : …

Paths are shown from the folder that holds the content folder (the
repository for ``content/``).
"""

from __future__ import annotations

import os
from collections import defaultdict

from .frontmatter import NotUtf8, decode, parse_header
from .sources import source_bytes

# In a build's settings: path -> list of Problem; filled while reading,
# emptied when the build reports them.
PROBLEMS_KEY = "_EDITORIAL_PROBLEMS"


class ContentError(Exception):
    """One or more content files are wrong; the message lists them all
    (French, one line per problem). Built from the problem lines (``lines``
    keeps them), or from a whole message (subclasses of other plugins)."""

    exitcode = 1

    def __init__(self, lines: list[str] | str):
        if isinstance(lines, str):
            self.lines = [line for line in lines.splitlines() if line.startswith("- ")]
            super().__init__(lines)
            return
        self.lines = list(lines)
        super().__init__(f"{count_errors(len(self.lines))} dans le contenu ; "
                         "rien n'a été publié :\n" + "\n".join(self.lines))


class FieldError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"champ « {field} » : {message}")
        self.field = field
        self.message = message


class Refused(FieldError):
    """A file the editorial reader refused; its problems are recorded."""


class Problem(tuple):
    """(field, message), compared as such; ``line`` (or None) rides along."""

    def __new__(cls, field: str, message: str, line: int | None = None):
        self = super().__new__(cls, (field, message))
        self.line = line
        return self

    def __getnewargs__(self):
        # Pickled in Pelican's content cache: rebuilt with its line.
        return (self[0], self[1], self.line)


def count_errors(n: int) -> str:
    return f"{n} erreur" if n == 1 else f"{n} erreurs"


def problems_of(settings) -> dict[str, list[Problem]]:
    """The problems recorded so far by the build these settings belong to."""
    found = settings.get(PROBLEMS_KEY)
    if found is None:
        found = settings[PROBLEMS_KEY] = defaultdict(list)
    return found


def record_problem(settings, source_path: str, field: str | None, message: str,
                   line: int | None = None) -> None:
    """Record an editorial problem of this build; it fails at the end of
    generation. Without ``line``, the report finds the field's line."""
    found = problems_of(settings)[os.path.abspath(source_path)]
    problem = Problem(field or "", message, line)
    for i, known in enumerate(found):
        if known == problem:
            if known.line is None and line is not None:
                found[i] = problem
            return
    found.append(problem)


def display_path(settings, path: str) -> str:
    """The path from the folder holding the content folder: content/articles/a.md."""
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    rel = os.path.relpath(os.path.abspath(path), base)
    return path if rel.startswith("..") else rel


def header_lines(path: str) -> dict[str, int]:
    try:
        header = parse_header(decode(source_bytes(path)))
    except (OSError, NotUtf8):
        return {}
    return {name: f.line for name, f in header.fields.items()}


def report_lines(settings) -> list[str]:
    """Every recorded problem, one French line each, by file then line."""
    lines = []
    for path, found in sorted(problems_of(settings).items()):
        header = header_lines(path) if any(p.line is None and p[0] for p in found) else {}
        where = display_path(settings, path)
        located = []
        for problem in found:
            field, message = problem
            line = problem.line if problem.line is not None else header.get(field)
            text = f"champ « {field} » : {message}" if field else message
            located.append((line or 0, f"- {where}, ligne {line} : {text}" if line
                            else f"- {where} : {text}"))
        lines += [text for _, text in sorted(located, key=lambda item: item[0])]
    return lines
