"""Why a comment was rejected: the reasons of the moderation charter
(content/pages/charte-de-moderation.md), written once.

The key is what the store keeps with a rejected comment (``Comment.reason``,
shape ``store.layout.REASON_RE``); the label is what moderators read in the
console and in ``python -m comment_service reject ID --reason KEY``. Keep
this list in step with the charter: each entry names one of its rules.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "propos-illicites": "Propos injurieux, diffamatoires, racistes, sexistes, homophobes ou contraires à la loi",
    "attaque-personnelle": "Attaque personnelle, y compris contre des agents ou des élus",
    "donnees-personnelles": "Informations personnelles sur autrui (adresse, téléphone…)",
    "publicite": "Publicité, liens commerciaux ou messages répétés",
    "propagande-electorale": "Propagande électorale en période de campagne",
    "hors-sujet": "Sans rapport avec l'actualité commentée",
    "forme": "Discourtois, pas en français ou trop long",
    "demarche-individuelle": "Démarche individuelle : à adresser directement aux services du Département",
}
DEFAULT_REASON = "hors-sujet"


def label(key: str | None) -> str:
    """The French label of a reason key (the key itself if it is no longer in the charter)."""
    if not key:
        return "Motif non précisé"
    return REASONS.get(key, key)


def is_reason(key: object) -> bool:
    return isinstance(key, str) and key in REASONS
