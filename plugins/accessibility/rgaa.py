"""The RGAA versions and when a statement must be renewed.

A statement is renewed after three years, or 18 months after a new version
of the RGAA replaced the one it cites (the RGAA's « obligations », section
« déclaration d'accessibilité »). Dates: the DINUM's publication of each
version (https://accessibilite.numerique.gouv.fr/, notes de version).
"""

from __future__ import annotations

import datetime as dt

from sitekit.dates import date_fr

# version -> publication date; the last one is the current version.
VERSIONS = {
    "4.0": dt.date(2019, 9, 20),
    "4.1": dt.date(2021, 7, 16),
    "4.1.1": dt.date(2023, 1, 24),
    "4.1.2": dt.date(2023, 4, 18),
}
CURRENT = list(VERSIONS)[-1]
VALIDITY_YEARS = 3
AFTER_NEW_VERSION_MONTHS = 18


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def renew_by(made: dt.date, version: str) -> tuple[dt.date, str]:
    """The date the statement must be renewed by, and why (French)."""
    limit = add_months(made, 12 * VALIDITY_YEARS)
    why = "elle a plus de trois ans"
    names = list(VERSIONS)
    for newer in names[names.index(version) + 1:]:
        replaced = add_months(VERSIONS[newer], AFTER_NEW_VERSION_MONTHS)
        if replaced < limit:
            limit = replaced
            why = (f"le RGAA {version} qu'elle cite a été remplacé par le RGAA {newer} "
                   f"le {date_fr(VERSIONS[newer])}, il y a plus de 18 mois")
        break
    return limit, why


def staleness(made: dt.date, version: str, today: dt.date) -> str | None:
    """A French warning when the statement is due for renewal, else None."""
    limit, why = renew_by(made, version)
    if today < limit:
        return None
    return (f"la déclaration d'accessibilité du {date_fr(made)} est à renouveler depuis le "
            f"{date_fr(limit)} : {why} ; faites un nouvel audit sur le RGAA {CURRENT} et "
            "mettez à jour le fichier")
