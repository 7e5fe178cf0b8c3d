"""The accessibility statement built from data, and the footer mention.

* Signal ``initialized`` (once per build): reads the statement's data file
  (``ACCESSIBILITY_STATEMENT``, relative to the content folder; default
  ``data/accessibilite.toml``), checks it (``statement.parse``) and records
  each problem through the editorial machinery (the build stops with
  ``content/data/accessibilite.toml, ligne N : …``); warns in French when
  the statement is due for renewal (``rgaa.staleness``; the day is
  ``ACCESSIBILITY_TODAY``, default today in Paris).
* The statement goes into the settings, hence every template's context, as
  ``ACCESSIBILITY``: the footer's « Accessibilité : … » mention on every page,
  and the page that uses ``Template: accessibilite`` (content/pages/accessibilite.md)
  renders it in the RGAA's form (theme/templates/accessibilite.html).
* ``ACCESSIBILITY_AUTOCHECKS`` (same signal): the figures of the automated
  checks (``autochecks``) from the record ``ACCESSIBILITY_CHECKS`` (default
  ``data/verifications-automatiques.json``, written by ``make a11y-report``)
  when its fingerprint is the one of the sources built now; otherwise the
  statement says they were not made for this version. A damaged record is
  a French warning, never a stopped build.
* The request form and the Défenseur des droits' routes on that page
  (``request_form``: the component of ``comment_service/accessibility/``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals

from editorial import record_problem

from . import autochecks, request_form, rgaa, statement

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ACCESSIBILITY_STATEMENT": "data/accessibilite.toml",
    "ACCESSIBILITY_URL": "accessibilite/",
    "ACCESSIBILITY_TODAY": None,
    "ACCESSIBILITY_CHECKS": autochecks.DEFAULT_RECORD,
}


def today(settings) -> dt.date:
    fixed = settings.get("ACCESSIBILITY_TODAY") or os.environ.get("ACCESSIBILITY_TODAY")
    if fixed:
        return dt.date.fromisoformat(str(fixed))
    return dt.datetime.now(ZoneInfo(settings.get("TIMEZONE") or "Europe/Paris")).date()


def checks_record(settings) -> dict | None:
    """The automated checks' record when it describes the sources built now."""
    path = autochecks.record_path(settings)
    where = os.path.relpath(path, Path(settings["PATH"]).parent)
    try:
        record = autochecks.parse(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, autochecks.DamagedRecord) as err:
        reason = err if isinstance(err, autochecks.DamagedRecord) else "fichier illisible"
        logger.warning("%s : %s ; la déclaration dit « vérifications automatiques non "
                       "effectuées » : relancez « make a11y-report »", where, reason)
        return None
    if record["fingerprint"] != autochecks.sources_fingerprint(settings):
        logger.info("%s : vérifications faites sur une autre version du contenu ; la "
                    "déclaration ne les cite pas (relancez « make a11y-report »)", where)
        return None
    return record


def load(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings["ACCESSIBILITY"] = None
    # A file the build reads: the editorial placement check knows it.
    settings["EDITORIAL_DATA_PATHS"] = [*(settings.get("EDITORIAL_DATA_PATHS") or []),
                                        settings["ACCESSIBILITY_STATEMENT"],
                                        settings["ACCESSIBILITY_CHECKS"]]
    settings["ACCESSIBILITY_AUTOCHECKS"] = autochecks.summary(checks_record(settings))
    path = Path(settings["PATH"]) / settings["ACCESSIBILITY_STATEMENT"]
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        record_problem(settings, str(path), None, (
            "fichier manquant : la déclaration d'accessibilité est obligatoire ; créez-le "
            "(modèle et champs : docs/guide-redaction.md, « La déclaration d'accessibilité »)"))
        return
    except (OSError, UnicodeDecodeError):
        record_problem(settings, str(path), None,
                       "fichier illisible ; enregistrez-le en UTF-8")
        return
    found, problems = statement.parse(text)
    for line, message in problems:
        record_problem(settings, str(path), None, message, line)
    if found is None:
        return
    settings["ACCESSIBILITY"] = found
    warning = rgaa.staleness(found["date"], found["rgaa"], today(settings))
    if warning:
        logger.warning("%s : %s", os.path.relpath(path, Path(settings["PATH"]).parent), warning)


def register():
    signals.initialized.connect(load)
    signals.generator_init.connect(request_form.add_component)  # the request form (request_form.py)
    signals.finalized.connect(request_form.copy_assets)
