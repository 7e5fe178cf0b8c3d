"""The record of the automated accessibility checks, and whether it applies.

The tests that check accessibility (axe-core, the Nu HTML Checker, the
keyboard and reflow checks in Chromium) write a record when run by
``make a11y-report`` (tests/browser/quality/autocheck_record.py): the day,
each tool's version and figures, and ``sources_fingerprint`` of what they
checked. The statement shows these figures only when the record's
fingerprint equals the one of the build being made.

Why a fingerprint of the sources, not of the output: the statement page is
itself part of the output and shows the record, so a fingerprint of the
built HTML would change the moment the figures are added (the check of
build N could never describe build N). The checked pages are a function of
the content folder, the theme and the plugins: the same sources give the
same pages, whichever settings file builds them (development or
production, which differ only by addresses). The record file itself, and
the files the build ignores (hidden files, editors' backups), are left out.
What the sources do not hold is not covered: the published comments, which
come from the comment store (escaped text in a fixed markup).

Pure but for reading files; no clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from editorial import ignored
from sitekit.dates import date_fr

FORMAT = 1
DEFAULT_RECORD = "data/verifications-automatiques.json"
TOOLS = ("axe", "vnu", "keyboard", "reflow")
COUNTS = ("tests", "passed", "failed", "skipped")
PAGE_COUNTS = ("pages", "errors")  # axe and vnu only
NOT_DONE = "Vérifications automatiques non effectuées pour cette version du site."


def record_path(settings) -> Path:
    return Path(settings["PATH"]) / (settings.get("ACCESSIBILITY_CHECKS") or DEFAULT_RECORD)


def _files(root: Path, settings, skip: Path):
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if path == skip or ignored(settings, name) or name.endswith(".pyc"):
                continue
            yield path.relative_to(root).as_posix(), path


def sources_fingerprint(settings) -> str:
    """sha256 over the content folder, the theme and the plugins: each file's
    path (relative to its root) and bytes, in a fixed order."""
    skip = record_path(settings).resolve()
    roots = [("content", settings["PATH"]), ("theme", settings["THEME"]),
             *(("plugins", p) for p in settings.get("PLUGIN_PATHS") or ())]
    digest = hashlib.sha256()
    for label, root in roots:
        root = Path(root).resolve()
        if not root.is_dir():
            continue
        for rel, path in _files(root, settings, skip):
            digest.update(f"{label}/{rel}\0".encode("utf-8"))
            with open(path, "rb") as f:  # streamed: content/ holds videos and PDFs
                digest.update(hashlib.file_digest(f, "sha256").digest())
    return "sha256:" + digest.hexdigest()


class DamagedRecord(ValueError):
    """The record file is not one this module wrote (French message)."""


def _count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DamagedRecord("un nombre attendu manque ou est invalide")
    return value


def parse(text: str) -> dict:
    """The record, checked; DamagedRecord when anything is off."""
    try:
        data = json.loads(text)
    except ValueError:
        raise DamagedRecord("le fichier n'est pas du JSON lisible") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DamagedRecord(f"format inconnu (attendu : {FORMAT})")
    fingerprint, when, tools = data.get("fingerprint"), data.get("date"), data.get("tools")
    if not isinstance(fingerprint, str) or not fingerprint.startswith("sha256:"):
        raise DamagedRecord("empreinte absente ou invalide")
    try:
        day = dt.datetime.fromisoformat(when).date()
    except (TypeError, ValueError):
        raise DamagedRecord("date absente ou invalide") from None
    if not isinstance(tools, dict) or not set(tools) <= set(TOOLS):
        raise DamagedRecord("liste des outils absente ou invalide")
    checked = {}
    for name, figures in tools.items():
        if not isinstance(figures, dict) or not isinstance(figures.get("version"), str):
            raise DamagedRecord(f"outil « {name} » incomplet")
        wanted = COUNTS + (PAGE_COUNTS if name in ("axe", "vnu") else ())
        checked[name] = {"version": figures["version"],
                         **{key: _count(figures.get(key)) for key in wanted}}
        counts = checked[name]
        if counts["passed"] + counts["failed"] + counts["skipped"] != counts["tests"]:
            raise DamagedRecord(f"outil « {name} » : les nombres de tests ne concordent pas")
    return {"fingerprint": fingerprint, "date": day, "tools": checked}


def _n(count: int, one: str, many: str) -> str:
    return f"{count}\u00a0{one if count <= 1 else many}"


def _errors(count: int) -> str:
    return "aucune erreur" if count == 0 else _n(count, "erreur", "erreurs")


def describe(name: str, figures: dict | None) -> str:
    """One French line of the statement for one tool."""
    titles = {
        "axe": "Contrôle automatique de l’accessibilité (axe-core {version}, règles WCAG 2.0 et 2.1 de niveaux A et AA)",
        "vnu": "Validité du code HTML (Nu HTML Checker {version})",
        "keyboard": "Utilisation au clavier seul (Chromium {version})",
        "reflow": "Affichage sur 320 pixels de large et avec un zoom à 200 % (Chromium {version})",
    }
    if not figures or figures["tests"] == figures["skipped"]:
        return titles[name].split(" (")[0] + " : non effectué pour cette version"
    title = titles[name].format(version=figures["version"])
    done = figures["tests"] - figures["skipped"]
    if name in ("axe", "vnu"):
        result = f"{_n(figures['pages'], 'page contrôlée', 'pages contrôlées')}, {_errors(figures['errors'])}"
        if figures["failed"] and not figures["errors"]:
            result += f" ; {_n(figures['failed'], 'contrôle interrompu', 'contrôles interrompus')}"
    else:
        result = f"{_n(figures['passed'], 'vérification réussie', 'vérifications réussies')} sur {done}"
    return f"{title} : {result}"


def summary(record: dict | None) -> dict:
    """What the statement's template shows: the day and one line per tool,
    or ``done`` False and the sentence that says nothing false."""
    if record is None:
        return {"done": False, "text": NOT_DONE}
    return {"done": True, "date": record["date"], "date_fr": date_fr(record["date"]),
            "lines": [describe(name, record["tools"].get(name)) for name in TOOLS]}


def dump(fingerprint: str, when: dt.datetime, tools: dict) -> str:
    """The record's text, as ``parse`` reads it (``when``: an aware datetime)."""
    return json.dumps({"format": FORMAT, "date": when.isoformat(timespec="seconds"),
                       "fingerprint": fingerprint, "tools": tools},
                      ensure_ascii=False, indent=2) + "\n"
