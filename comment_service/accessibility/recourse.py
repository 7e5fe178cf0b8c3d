"""The Défenseur des droits' three routes of recourse: the one place they are written.

The statement page (theme/templates/accessibilite.html, through
plugins/accessibility: ``ACCESSIBILITY_RECOURSE``), the acknowledgement page
and the acknowledgement mail (this package) all read :data:`ROUTES`. Each
route: the words before the link, the link's text and address (``url``, or
empty when there is none: the free letter), and the words after.
"""

from __future__ import annotations

NBSP = "\u00a0"

#: (before, link text, url, after)
ROUTES = (
    (f"écrire un message au Défenseur des droits{NBSP}: ", "formulaire en ligne",
     "https://formulaire.defenseurdesdroits.fr/", f"{NBSP};"),
    ("contacter ", "le délégué territorial ou la déléguée territoriale du Défenseur des droits près de chez vous",
     "https://www.defenseurdesdroits.fr/carte-des-delegues", f"{NBSP};"),
    (f"envoyer un courrier par la poste (gratuit, ne pas mettre de timbre){NBSP}: ", "", "",
     f"Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX{NBSP}07."),
)

#: The sentence that introduces the routes.
INTRO = ("Si vous n’obtenez pas de réponse satisfaisante, vous pouvez saisir le Défenseur des droits"
         f"{NBSP}:")


def as_dicts() -> list[dict[str, str]]:
    """The routes for a template: before, text, url, after."""
    return [dict(zip(("before", "text", "url", "after"), route)) for route in ROUTES]


def plain_lines() -> list[str]:
    """The routes as plain-text lines (a mail): the address in angle brackets after its link text."""
    lines = []
    for before, text, url, after in ROUTES:
        link = f"{text} <{url}>" if url else text
        lines.append(f"- {before}{link}{after}")
    return lines
