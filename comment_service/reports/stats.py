"""The reports in the monthly moderation table (plugins/opendata/moderation_table.py):
counts only, by the month a report was received (Paris time), never a reason's
details, a name or an address."""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from .records import KEPT, UNPUBLISHED

PARIS = ZoneInfo("Europe/Paris")

# (name, type, title, description), as the table's other columns.
FIELDS = (
    ("signalements_recus", "integer", "Signalements reçus",
     "Signalements de commentaires publiés envoyés par des lecteurs ce mois-là"),
    ("signalements_retires", "integer", "Signalements suivis d'un retrait",
     "Signalements de ce mois dont le commentaire a été retiré de la page par un modérateur"),
    ("signalements_maintenus", "integer", "Signalements sans suite",
     "Signalements de ce mois dont le commentaire a été maintenu par un modérateur"),
)
COLUMNS = tuple(name for name, *_ in FIELDS)
_BY_OUTCOME = {UNPUBLISHED: "signalements_retires", KEPT: "signalements_maintenus"}


def monthly(reports) -> dict[str, dict[str, int]]:
    """{month (AAAA-MM): {column: count}} for the months with reports."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for report in reports:
        row = counts[report.created.astimezone(PARIS).strftime("%Y-%m")]
        row["signalements_recus"] += 1
        if report.status in _BY_OUTCOME:
            row[_BY_OUTCOME[report.status]] += 1
    return dict(counts)
