"""The « Plan du site » (RGAA 12.3): every section of the site on one page.

A generator (made anew for every build) writes ``SITEPLAN_URL``
(``plan-du-site/``) with the template ``plan-du-site.html`` through Pelican's
writer, so the sitemap lists it. The page is computed from this build's
context, never by hand: the sections (news, agenda, categories, tags,
archives, search, open data), every category and tag, the upcoming events,
every published page. The theme's footer links it on every page, beside the
accessibility mention (RGAA 12.4: reached the same way everywhere).
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

DEFAULTS = {"SITEPLAN_URL": "plan-du-site/"}


def sections(context) -> list[tuple[str, str]]:
    """(title, root-relative URL without the leading slash) of each section."""
    found = [("Actualités", ""), ("Agenda", context.get("EVENTS_AGENDA_URL", "agenda/")),
             ("Événements passés", context.get("EVENTS_PAST_URL", "agenda/passes/")),
             ("Catégories", context.get("CATEGORIES_SAVE_AS", "").removesuffix("index.html")),
             ("Étiquettes", context.get("TAGS_SAVE_AS", "").removesuffix("index.html")),
             ("Archives", context.get("ARCHIVES_SAVE_AS", "").removesuffix("index.html")),
             ("Recherche", context.get("SEARCH_URL", ""))]
    if context.get("OPENDATA_URL"):
        found.append(("Données ouvertes", context["OPENDATA_URL"]))
    if context.get("MODERATION_STATS_URL"):
        found.append(("La modération en chiffres", context["MODERATION_STATS_URL"]))
    return [(title, url) for title, url in found if url or title == "Actualités"]


class SitePlan(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, value in DEFAULTS.items():
            self.settings.setdefault(key, value)
            self.context.setdefault(key, value)  # the footer's link on every page

    def generate_context(self):
        pass  # every section is known only once every generator has run

    def generate_output(self, writer) -> None:
        context = self.context
        pages = sorted(context.get("pages", []), key=lambda p: p.title)
        categories = sorted((c for c, _ in context.get("categories", [])), key=lambda c: c.name)
        tags = sorted((t for t, _ in context.get("tags", [])), key=lambda t: t.name.lower())
        writer.write_file(self.settings["SITEPLAN_URL"] + "index.html",
                          self.get_template("plan-du-site"), context,
                          relative_urls=self.settings.get("RELATIVE_URLS", False),
                          siteplan_sections=sections(context), siteplan_pages=pages,
                          siteplan_categories=categories, siteplan_tags=tags,
                          siteplan_events=list(context.get("upcoming_events", [])))


def add_generator(_pelican):
    return SitePlan


def register():
    signals.get_generators.connect(add_generator)
