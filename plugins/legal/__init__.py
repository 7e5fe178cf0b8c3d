"""Mentions légales from the settings (LCEN article 6; RGPD article 13).

The page that uses ``Template: mentions-legales`` (content/pages/mentions-legales.md)
shows, above its own text, who publishes the site, who directs the
publication, who hosts it (name and address) and whom to write to about
personal data: the settings in ``REQUIRED`` (pelicanconf.py). Without one of
them the build stops (``page_generator_finalized``, through the editorial
problems) with a French line naming the page and the setting to add.
"""

from __future__ import annotations

from pelican import signals

from editorial import record_problem

TEMPLATE = "mentions-legales"
# setting -> what it holds (the French message says it)
REQUIRED = {
    "LEGAL_PUBLISHER": "l'éditeur du site : nom et adresse",
    "LEGAL_DIRECTOR": "la directrice ou le directeur de la publication",
    "LEGAL_HOST": "le nom de l'hébergeur",
    "LEGAL_HOST_ADDRESS": "l'adresse et le téléphone de l'hébergeur",
    "LEGAL_DATA_CONTACT": "le contact pour les données personnelles (adresse électronique "
                          "du délégué à la protection des données)",
}


def missing(settings) -> list[str]:
    return [name for name in REQUIRED
            if not isinstance(settings.get(name), str) or not settings[name].strip()]


def check(generator) -> None:
    settings = generator.settings
    for page in [*generator.pages, *generator.hidden_pages, *generator.draft_pages]:
        if getattr(page, "template", None) != TEMPLATE:
            continue
        for name in missing(settings):
            record_problem(settings, page.source_path, None, (
                f"réglage {name} manquant dans pelicanconf.py ({REQUIRED[name]}) : les "
                f"mentions légales ne peuvent pas être publiées sans lui ; ajoutez une ligne "
                f"« {name} = \"…\" » dans pelicanconf.py"))


def register():
    signals.page_generator_finalized.connect(check)
