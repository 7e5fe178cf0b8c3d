"""Rules on header values (pure: no Pelican), beside ``fields``' checks.

* titles and tags pasted with quotes: ``Title: "Le budget"`` or
  ``Tags: “routes”`` lose the quotes that wrap the whole value; English
  quotes inside a title (“…” or "…") become French guillemets (« »), as a
  French title is written;
* a title with formatting markup (``<em>``…: shown escaped), or with fewer than two letters or digits;
* an invisible character (zero-width space, soft hyphen, joiner…) in the
  title, category, tags, slug or summary, named;
* a summary longer than SUMMARY_MAX characters (it is the page's
  description for search engines and sharing), or written in several
  paragraphs (``<p>``, ``<br>``, a blank line cannot be in a header);
* dates: more than FUTURE_DAYS ahead of the build's day (``build_today``) (a typo in the year would keep an
  article waiting for years), ``Modified`` before ``Date``, and an article's
  file name date (``2014-06-12-….md``) different from its ``Date``;
* ``Lang`` other than the site's language (no translations are published).

``header_problems(...)`` returns ``(field, message)`` pairs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata

from .fields import parse_strict_date
from .problems import FieldError

SUMMARY_MAX = 300
FUTURE_DAYS = 2 * 366
QUOTES = {'"': '"', "'": "'", "“": "”", "„": "“", "«": "»", "‘": "’", "”": "”"}
FILE_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
MARKUP_RE = re.compile(r"</?[A-Za-z][^>]*>")
# Formatting an editor may try in a title (shown escaped, tags and all);
# anything else stays text, escaped wherever the title is shown.
TITLE_MARKUP_RE = re.compile(r"</?(?:em|strong|i|b|u|s|br|span|sup|sub|a|abbr|mark|small|"
                             r"code|q|cite|del|ins|p|div|h[1-6])\b[^>]*>", re.IGNORECASE)
SUMMARY_BLOCK_RE = re.compile(r"<(br|div|ul|ol|li|h[1-6]|blockquote|table)\b", re.IGNORECASE)
PARAGRAPH_RE = re.compile(r"<p\b", re.IGNORECASE)
INVISIBLE_FIELDS = ("title", "category", "tags", "slug", "summary")


def unquoted(value: str) -> str:
    """The value without a pair of quotes wrapping all of it."""
    value = value.strip()
    if len(value) >= 2 and QUOTES.get(value[0]) == value[-1]:
        inner = value[1:-1].strip()
        if value[0] not in inner and value[-1] not in inner:
            return inner
    return value


def tidy_title(value: str) -> str:
    value = unquoted(value)
    value = re.sub(r"“\s*([^”]*?)\s*”", "« \\1 »", value)
    return re.sub(r'(^|[\s(])"\s*([^"]+?)\s*"(?=$|[\s).,;:!?])', "\\1« \\2 »", value)


def tidy_tags(value: str) -> str:
    return ", ".join(unquoted(tag) for tag in value.split(","))


def invisible(value: str) -> str | None:
    """The first invisible format character of value, named (U+200B…)."""
    for char in value:
        if unicodedata.category(char) == "Cf":
            name = unicodedata.name(char, "caractère invisible").lower()
            return f"U+{ord(char):04X} ({name})"
    return None


def _date(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    try:
        return parse_strict_date(str(value), "date")
    except FieldError:
        return None  # already reported


def date_problems(kind, source_path, raw: dict, today: dt.date) -> list[tuple[str, str]]:
    found = []
    date, modified = _date(raw["date"]) if "date" in raw else None, None
    if "modified" in raw:
        modified = _date(raw["modified"])
    for field, value in (("date", date), ("modified", modified)):
        if value is not None and value.date() > today + dt.timedelta(days=FUTURE_DAYS):
            found.append((field, (
                f"date {value:%Y-%m-%d} à plus de deux ans : l'article attendrait jusque-là "
                "sans être publié ; vérifiez l'année (faute de frappe ?)")))
    if date and modified and modified < date:
        found.append(("modified", (
            f"mise à jour ({modified:%Y-%m-%d %H:%M}) avant la date de publication "
            f"({date:%Y-%m-%d %H:%M}) ; corrigez « Modified: », ou retirez cette ligne")))
    match = FILE_DATE_RE.match(os.path.basename(source_path))
    if kind == "articles" and match and date and match.group(1) != f"{date:%Y-%m-%d}":
        found.append(("date", (
            f"le nom du fichier porte la date {match.group(1)}, l'en-tête « Date: "
            f"{date:%Y-%m-%d} » ; corrigez celle qui est fausse (le nom du fichier commence "
            "par la date de publication)")))
    return found


def build_today(settings) -> dt.date:
    """The build's day: plugins/schedule's "now" (SCHEDULE_NOW, setting or
    environment variable), so that the window follows the one that schedules."""
    value = settings.get("SCHEDULE_NOW") or os.environ.get("SCHEDULE_NOW")
    if isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:  # unset, or unreadable (plugins/schedule reports it)
        return dt.date.today()


def header_problems(settings, kind, source_path, raw: dict[str, str],
                    today: dt.date | None = None) -> list[tuple[str, str]]:
    """``raw``: the header's values as written (after tidy_title/tidy_tags)."""
    found = []
    title = raw.get("title")
    if title:
        if TITLE_MARKUP_RE.search(title):
            found.append(("title", (
                "le titre ne prend pas de balises HTML (il est affiché tel quel, balises "
                f"comprises) : retirez « {TITLE_MARKUP_RE.search(title).group()} » et sa "
                "fermeture")))
        elif sum(unicodedata.category(c)[0] in "LN" for c in title) < 2:
            found.append(("title", f"titre « {title} » trop court ; écrivez un vrai titre"))
    for field in INVISIBLE_FIELDS:
        value = raw.get(field)
        what = invisible(value) if value else None
        if what:
            found.append((field, (
                f"caractère invisible {what} dans « {value.strip()} » (collé d'un autre "
                "document ?) : il ferait une valeur différente de celle qu'on voit ; "
                "effacez la valeur et retapez-la")))
    summary = raw.get("summary")
    if summary:
        block = SUMMARY_BLOCK_RE.search(summary) or (
            PARAGRAPH_RE.search(summary) if len(PARAGRAPH_RE.findall(summary)) > 1 else None)
        if block:
            found.append(("summary", (
                f"le résumé est un seul paragraphe : retirez « {block.group()}> » (le texte "
                "de l'article peut, lui, avoir plusieurs paragraphes)")))
        length = len(" ".join(MARKUP_RE.sub("", summary).split()))
        if length > SUMMARY_MAX:
            found.append(("summary", (
                f"résumé de {length} caractères ; {SUMMARY_MAX} au plus (il décrit la page "
                "dans les moteurs de recherche et les partages) : gardez une ou deux phrases "
                "et mettez la suite dans le texte")))
    lang = raw.get("lang")
    default = settings.get("DEFAULT_LANG", "fr")
    if lang is not None and lang.strip().lower() != default \
            and not settings.get("EDITORIAL_TRANSLATIONS"):
        found.append(("lang", (
            f"langue « {lang} » : le site n'est publié qu'en {'français' if default == 'fr' else default} "
            "(la page changerait d'adresse sans être traduite) ; retirez la ligne « Lang: »")))
    found += date_problems(kind, source_path, raw, today or build_today(settings))
    return found
