"""The fields editors may write, and the checks of their values.

Pure functions (no Pelican import): which fields each kind of content takes,
strict ISO dates, categories compared after Unicode (NFC) and space
normalisation, and slugs, which are comment thread identifiers too (the
store's ``is_thread_id``, one pattern for both).
"""

from __future__ import annotations

import datetime as dt
import re

from comment_service.store import THREAD_RE, is_thread_id

from .frontmatter import same_words
from .problems import FieldError

# Kept for the plugins that import it (events): the store's thread pattern,
# anchored. New code calls is_thread_id.
SLUG_RE = re.compile(rf"^(?:{THREAD_RE.pattern})$")
# A slug made from a long title is cut at a word, at most this long (a thread
# id allows 120 characters; a file name, 255 bytes).
SLUG_MAX = 80
DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[ T](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
STATUSES = ("published", "draft", "hidden")
# Years a date may have: outside, a typo (0001-12-05, 9999), never reinterpreted
# (every date field, the events' Start and End included, goes through it).
YEARS = (1900, 2100)

# Fields an editor may use, per content folder. Other plugins extend this
# through the EDITORIAL_FIELDS setting.
DEFAULT_FIELDS = {
    "articles": {
        "title", "date", "modified", "category", "tags", "summary", "slug",
        "status", "author", "authors", "image", "image_alt", "comments",
        "lang", "translation",
    },
    "pages": {
        "title", "slug", "status", "summary", "template", "save_as", "url",
        "modified", "comments", "lang", "menu", "order",
    },
}
REQUIRED = {
    "articles": ("title", "date", "category", "summary"),
    "pages": ("title",),
}
FIELD_HELP = {
    "title": "ajoutez une ligne « Title: Le titre de l'article »",
    "date": "ajoutez une ligne « Date: 2014-06-12 » (ou « 2014-06-12 10:30 »)",
    "category": "ajoutez une ligne « Category: » suivie d'une catégorie autorisée",
    "summary": "ajoutez une ligne « Summary: » avec le chapô (une ou deux phrases)",
}


def parse_strict_date(value: str, field: str) -> dt.datetime:
    """ISO dates only: 12/06/2014 would be read as 6 December by dateutil."""
    match = DATE_RE.match(value.strip())
    if not match:
        raise FieldError(
            field,
            f"date « {value} » illisible ; écrivez-la au format AAAA-MM-JJ, "
            "éventuellement suivie de l'heure HH:MM (exemple : 2014-06-12 10:30)",
        )
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    if not YEARS[0] <= parts["y"] <= YEARS[1]:
        raise FieldError(field, (
            f"année {parts['y']:04d} invraisemblable dans « {value.strip()} » (faute de "
            "frappe ?) ; vérifiez l'année, écrite en entier (exemple : 2026-12-05)"))
    try:
        return dt.datetime(
            parts["y"], parts["m"], parts["d"],
            parts.get("H", 0), parts.get("M", 0), parts.get("S", 0),
        )
    except ValueError:
        raise FieldError(field, f"la date « {value} » n'existe pas dans le calendrier") from None


def known_fields(settings, kind: str | None) -> set[str] | None:
    """The fields of this kind of content, or None (any field)."""
    fields = DEFAULT_FIELDS.get(kind)
    extra = (settings.get("EDITORIAL_FIELDS") or {}).get(kind)
    if extra is not None:
        fields = set(fields or ()) | set(extra)
    return fields


def canonical_category(value: str, allowed) -> str:
    """The allowed spelling of a category typed with a decomposed accent or
    a non-breaking space; the value itself when none matches."""
    wanted = same_words(value)
    for name in allowed or ():
        if same_words(name) == wanted:
            return name
    return wanted


def bounded_slug(slug: str) -> str:
    """At most SLUG_MAX characters, cut between two words."""
    if len(slug) <= SLUG_MAX:
        return slug
    cut = slug[:SLUG_MAX + 1]
    cut = cut.rsplit("-", 1)[0] if "-" in cut[:-1] else cut[:SLUG_MAX]
    return cut.strip("-")


def check_metadata(settings, kind, metadata, skip=()) -> list[tuple[str, str]]:
    """Problems of one file's metadata: unknown or missing fields, values.
    ``skip``: fields already reported (an unreadable value)."""
    problems = []
    known = known_fields(settings, kind)
    if known is not None:
        for name in metadata:
            if name not in known:
                problems.append((name, "inconnu (faute de frappe ?) ; champs possibles : "
                                 + ", ".join(sorted(known))))
    for name in REQUIRED.get(kind, ("title",)):
        value = metadata.get(name)
        if name in skip:
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append((name, "obligatoire, mais absent ou vide ; "
                             + FIELD_HELP.get(name, "")))
    allowed = settings.get("EDITORIAL_CATEGORIES")
    category = metadata.get("category")
    if kind == "articles" and allowed and category is not None and str(category) not in allowed:
        problems.append(("category", f"catégorie « {category} » inconnue ; catégories "
                         "autorisées : " + ", ".join(allowed)))
    status = metadata.get("status")
    # Other statuses a plugin declares for its folder (EDITORIAL_STATUSES: events).
    extra = (settings.get("EDITORIAL_STATUSES") or {}).get(kind) or ()
    if status is not None and status not in STATUSES \
            and str(status).strip().lower() not in extra:
        problems.append(("status", f"statut « {status} » inconnu ; valeurs possibles : "
                         "published (publié), draft (brouillon), hidden (caché)"
                         + "".join(f", {value}" for value in extra)))
    slug = metadata.get("slug")
    if slug is not None and not is_thread_id(slug):
        problems.append(("slug", f"« {slug} » n'est pas un identifiant d'URL valide : "
                         "lettres minuscules sans accent, chiffres et tirets "
                         "(120 caractères au plus)"))
    comments = metadata.get("comments")
    if comments is not None and str(comments).strip().lower() not in ("open", "closed"):
        problems.append(("comments", f"valeur « {comments} » inconnue ; "
                         "valeurs possibles : open, closed"))
    return problems
