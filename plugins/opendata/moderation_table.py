"""The monthly moderation table: counts only, never a name, an address or a text.

Pure: ``monthly(comments, requests=, reports=)`` takes the store's comments (any
state), the accessibility requests and the readers' reports, and returns one
row per month (Paris time, by the month the comment, request or report was
received): received, published, waiting, rejected (in all and by reason of
the charter, ``comment_service.rules.reasons``), readers' reports received that
month and their outcome (``comment_service.reports.stats``), the median time
from reception to a moderator's decision, in hours; the accessibility requests
received and the share of them answered within a week
(``comment_service.accessibility.deadlines``). ``schema()`` is its
Frictionless Table Schema, ``to_csv(rows)`` the CSV (RFC 4180).

Counted from what the store holds at build time: a rejected comment is
deleted after ``COMMENTS_REJECTED_RETENTION_DAYS`` (docs/personal-data.md),
so older months' rejections can only shrink (the page says so).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from zoneinfo import ZoneInfo

from comment_service.accessibility import deadlines
from comment_service.rules.reasons import REASONS
from comment_service.reports import stats as report_stats

PARIS = ZoneInfo("Europe/Paris")
OTHER = "autre"


def reason_column(key: str) -> str:
    return "refuses_" + key.replace("-", "_")


# (name, type, title, description)
BASE_FIELDS = (
    ("mois", "yearmonth", "Mois", "Mois de réception des commentaires (AAAA-MM, heure de Paris)"),
    ("recus", "integer", "Commentaires reçus", "Commentaires reçus ce mois-là, quel que soit leur sort"),
    ("publies", "integer", "Commentaires publiés", "Commentaires de ce mois publiés à ce jour"),
    ("en_attente", "integer", "En attente", "Commentaires de ce mois pas encore modérés"),
    ("refuses", "integer", "Commentaires refusés", "Commentaires de ce mois refusés, tous motifs confondus"),
)
MEDIAN_FIELD = ("delai_median_heures", "number", "Délai médian de décision (heures)",
                "Délai médian entre la réception et la décision (publication ou refus) d'un "
                "modérateur, en heures ; vide si aucune décision")


A11Y_FIELDS = (
    ("accessibilite_recues", "integer", "Demandes d'accessibilité reçues",
     "Demandes reçues ce mois-là par le formulaire de la déclaration d'accessibilité"),
    ("accessibilite_repondues_7j_pct", "number", "Demandes d'accessibilité répondues sous 7 jours (%)",
     "Part des demandes de ce mois répondues dans les 7 jours suivant leur réception, en pourcentage "
     "(une demande encore dans son délai compte comme non répondue jusqu'à sa réponse) ; vide si aucune demande"),
)


def fields() -> list[tuple[str, str, str, str]]:
    by_reason = [(reason_column(key), "integer", f"Refusés : {label}",
                  f"Commentaires refusés pour ce motif de la charte de modération : {label}")
                 for key, label in REASONS.items()]
    by_reason.append((reason_column(OTHER), "integer", "Refusés : autre motif",
                      "Commentaires refusés sans motif de la charte actuelle"))
    return [*BASE_FIELDS, *by_reason, *report_stats.FIELDS, MEDIAN_FIELD, *A11Y_FIELDS]


def columns() -> list[str]:
    return [name for name, *_ in fields()]


def _month(moment) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m")


def monthly(comments, *, requests=(), reports=()) -> list[dict[str, str]]:
    """``requests``: the accessibility requests; ``reports``: the readers' reports
    (``ReportStore.iter_all()``); each counted by the month received."""
    counts = defaultdict(lambda: defaultdict(int))
    for month, row in report_stats.monthly(reports).items():
        counts[month].update(row)
    delays = defaultdict(list)
    for r in requests:
        row = counts[_month(r.received)]
        row["accessibilite_recues"] += 1
        row["a11y_in_time"] += deadlines.answered_in_time(r.received, r.answered)
    for c in comments:
        month = _month(c.created)
        row = counts[month]
        row["recus"] += 1
        state = {"approved": "publies", "pending": "en_attente", "rejected": "refuses"}[c.status]
        row[state] += 1
        if c.status == "rejected":
            row[reason_column(c.reason if c.reason in REASONS else OTHER)] += 1
        if c.status != "pending" and c.moderated is not None:
            delays[month].append((c.moderated - c.created).total_seconds() / 3600)
    rows = []
    integers = [name for name, type_, *_ in fields() if type_ == "integer"]
    for month in sorted(counts):
        row = {name: str(counts[month][name]) for name in integers}
        median = statistics.median(delays[month]) if delays[month] else None
        received = counts[month]["accessibilite_recues"]
        share = f"{100 * counts[month]['a11y_in_time'] / received:.1f}" if received else ""
        rows.append({"mois": month, **row, "delai_median_heures": "" if median is None else f"{median:.1f}",
                     "accessibilite_repondues_7j_pct": share})
    return rows


def to_csv(rows) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns(), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def schema(*, publisher: str, site: str, licence: dict) -> dict:
    described = []
    for name, type_, title, description in fields():
        field = {"name": name, "title": title, "description": description, "type": type_}
        field["constraints"] = {"required": True, "unique": True} if name == "mois" else (
            {"minimum": 0, "maximum": 100} if name.endswith("_pct")
            else {"minimum": 0} if type_ in ("integer", "number") else {})
        described.append(field)
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "moderation-mensuelle",
        "title": "Modération des commentaires, mois par mois",
        "description": ("Nombre de commentaires reçus, publiés, en attente et refusés (par motif "
                        "de la charte), signalements des lecteurs et leur suite, délai médian de décision ; "
                        "demandes d'accessibilité reçues et part "
                        "répondue sous 7 jours. Aucune donnée personnelle."),
        "homepage": site + "/donnees/",
        "contributors": [{"title": publisher, "role": "author"}],
        "licenses": [licence],
        "missingValues": [""],
        "primaryKey": "mois",
        "fields": described,
    }
