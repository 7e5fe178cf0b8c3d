"""Easy-to-read companions (« Facile à lire et à comprendre »).

An article or a page names its easy-to-read version with the field
``Facile:`` (the companion's file, ``{filename}/pages/charte-facile.md`` or
``{filename}charte-facile.md`` beside it, or its slug). At
``page_generator_finalized`` (articles and pages are all read) each pair is
linked both ways: the original gets ``easy_version``, the companion
``easy_original``; the theme shows the link to the other at the top of both
(``partials/easy_read.html``) and marks the companion in listings. A
companion that cannot be found, a page that names itself, or two pages
naming one companion stop the build (editorial problems, French).

No « Facile à lire » logo (a registered mark) unless ``EASY_TO_READ_LOGO``
names the image the Département was allowed to use (its texts were
labelled); default None.
"""

from __future__ import annotations

import os

from pelican import signals

from editorial import record_problem

FIELD = "facile"
DEFAULTS = {"EASY_TO_READ_LOGO": None}
FIX = ("écrivez « Facile: {filename}/pages/ma-page-facile.md » (le fichier de la version "
       "facile à lire, depuis le dossier content) ou son identifiant (Slug)")


def declare(pelican) -> None:
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    fields = dict(settings.get("EDITORIAL_FIELDS") or {})
    for kind in ("articles", "pages"):
        fields[kind] = set(fields.get(kind, ())) | {FIELD}
    settings["EDITORIAL_FIELDS"] = fields


def resolve(value: str, obj, by_path: dict, by_slug: dict, content: str):
    value = value.strip()
    if value.startswith(("{filename}", "{static}")):
        rel = value.split("}", 1)[1]
        base = content if rel.startswith("/") else os.path.dirname(obj.source_path)
        return by_path.get(os.path.abspath(os.path.join(base, rel.lstrip("/"))))
    return by_slug.get(value.strip("/"))


def link(generator) -> None:
    settings, context = generator.settings, generator.context
    candidates = [*context.get("articles", []), *context.get("hidden_articles", []),
                  *generator.pages, *generator.hidden_pages]
    by_path = {os.path.abspath(o.source_path): o for o in candidates}
    by_slug = {o.slug: o for o in candidates}
    content = os.path.abspath(settings["PATH"])
    drafts = [*context.get("drafts", []), *generator.draft_pages]
    for obj in [*candidates, *drafts]:
        value = obj.metadata.get(FIELD)
        if not isinstance(value, str) or not value.strip():
            continue
        target = resolve(value, obj, by_path, by_slug, content)
        if target is None:
            record_problem(settings, obj.source_path, FIELD, (
                f"« {value.strip()} » : aucune actualité ni page publiée à cette adresse ; {FIX}"))
        elif target is obj:
            record_problem(settings, obj.source_path, FIELD, (
                "une page ne peut pas être sa propre version facile à lire ; nommez le fichier "
                "de la version facile à lire, écrite à part"))
        elif getattr(target, "easy_original", None) is not None:
            record_problem(settings, obj.source_path, FIELD, (
                f"« {value.strip()} » est déjà la version facile à lire de « "
                f"{target.easy_original.title} » ; chaque page a sa propre version facile à lire"))
        elif obj not in drafts:
            obj.easy_version, target.easy_original = target, obj


def register():
    signals.initialized.connect(declare)
    signals.page_generator_finalized.connect(link)
