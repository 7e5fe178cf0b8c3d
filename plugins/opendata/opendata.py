"""Published comments as open data, and Atom feeds of comments, at build time.

Writes into the output (each file replaced atomically: temporary file, then
``os.replace``):

* ``donnees/commentaires.csv``, ``donnees/commentaires.json`` and
  ``donnees/commentaires.schema.json`` (Frictionless Table Schema): every
  approved comment of every published article and event, with the
  Département's reply when there is one (``CommentStore.replies``); never
  an e-mail address, never a pending or rejected comment (only ``approved()`` is read);
* ``donnees/index.html``: the « Données ouvertes » page (template
  ``opendata.html``), linking the files with their size and the date of
  the latest change in the data; written through Pelican's writer, so the
  sitemap lists it;
* Atom feeds of the latest comments: ``OPENDATA_FEED_ALL`` (site-wide) and
  ``OPENDATA_FEED_THREAD`` (one per published article or event that has
  comments or accepts them); each such page gets ``comments_feed_url``
  (root-relative, no leading slash) for the theme's ``<link rel="alternate">``.

Signals: ``get_generators`` (a generator made anew for every build: this
build's rows live on it, nothing at module level), ``all_generators_finalized``
(every page is known), then the generator's ``generate_output``.

Settings (defaults in ``DEFAULTS``): ``OPENDATA_URL`` (``"donnees/"``),
``OPENDATA_FEED_ALL``, ``OPENDATA_FEED_THREAD`` (``{slug}``),
``OPENDATA_FEED_MAX_ITEMS``, ``OPENDATA_AUTHOR_NAMES``; ``COMMENTS_STORE`` as for the comments plugin.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime

from pelican import signals
from pelican.generators import Generator

from comment_service import defaults
from comment_service.store import CommentStore
from sitekit import absolute_base
from sitekit.files import write_atomically

from . import feeds, table

logger = logging.getLogger(__name__)

DEFAULTS = {
    "OPENDATA_URL": "donnees/",
    "OPENDATA_FEED_ALL": "feeds/commentaires.atom.xml",
    "OPENDATA_FEED_THREAD": "feeds/commentaires/{slug}.atom.xml",
    "OPENDATA_FEED_MAX_ITEMS": 50,
    # False: the "auteur" column stays empty (see docs/fiche-registre.md, CRPA L. 312-1-2).
    "OPENDATA_AUTHOR_NAMES": True,
}


def _published(generators):
    """(content object, kind) of every published article and event (hidden ones too:
    they are public at their URL and show their comments)."""
    for gen in generators:
        if hasattr(gen, "hidden_articles"):
            for obj in [*gen.articles, *gen.translations, *gen.hidden_articles, *gen.hidden_translations]:
                yield obj, "article"
        if hasattr(gen, "events"):
            for obj in [*gen.events, *getattr(gen, "hidden_events", [])]:
                yield obj, "event"


def _accepts_comments(obj) -> bool:
    return str(getattr(obj, "metadata", {}).get("comments", "open")).strip().lower() != "closed"


def size_fr(size: int) -> str:
    """A file size as French writes it: 950 octets, 12,4 ko, 3,1 Mo."""
    if size < 1000:
        return f"{size}\u00a0octets"
    value, unit = (size / 1000, "ko") if size < 1_000_000 else (size / 1_000_000, "Mo")
    return f"{value:.1f}".replace(".", ",") + f"\u00a0{unit}"


class OpenData(Generator):
    """One build's open data: filled at ``all_generators_finalized``, written at the end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, value in DEFAULTS.items():
            self.settings.setdefault(key, value)
            self.context.setdefault(key, value)  # the theme's footer and feed links
        self.rows: list[dict[str, str]] | None = None
        self.entries: dict[str, list[feeds.Entry]] = {}  # per thread
        self.pages: list[tuple] = []  # (slug, title, absolute url, date) of each feed

    def generate_context(self):
        pass  # everything is known only once every generator has run

    def collect(self, generators) -> None:
        store = CommentStore(self.settings.get("COMMENTS_STORE", defaults.STORE))
        base = absolute_base(self.settings)
        with_comments = store.threads_with("approved")
        names = bool(self.settings["OPENDATA_AUTHOR_NAMES"])
        self.rows, self.entries, self.pages, seen = [], {}, [], set()
        for obj, kind in _published(generators):
            slug, url = obj.slug, f"{base}/{obj.url}"
            if slug in seen:  # a translation sharing its slug: one thread
                continue
            seen.add(slug)
            comments = store.approved(slug) if slug in with_comments else []
            replies = store.replies(slug) if comments else {}
            if not comments and not _accepts_comments(obj):
                continue
            obj.comments_feed_url = self.settings["OPENDATA_FEED_THREAD"].format(slug=slug)
            self.pages.append((slug, obj.title, url, getattr(obj, "date", None)))
            entries = self.entries.setdefault(slug, [])
            for c in comments:
                self.rows.append(table.row(kind=kind, title=obj.title, url=url, comment_id=c.id,
                                           name=c.name if names else "", created=c.created, text=c.text,
                                           reply=replies.get(c.id)))
                entries.append(feeds.Entry(c.id, obj.title, url, c.name, c.text, c.created))
        self.rows.sort(key=lambda r: (r["date"], r["commentaire_id"]))

    def generate_output(self, writer) -> None:
        if self.rows is None:
            return
        files = self.write_data()
        # A selective writer (the publisher's, after a comment change) names the
        # threads that changed: the other threads' feeds are as they were.
        self.write_feeds(getattr(writer, "threads", None) or None)
        folder = self.settings["OPENDATA_URL"]
        writer.write_file(folder + "index.html", self.get_template("opendata"), self.context,
                          relative_urls=self.settings.get("RELATIVE_URLS", False),
                          opendata_files=files, opendata_modified=self.modified_date(),
                          opendata_count=len(self.rows), opendata_licence=table.LICENCE,
                          opendata_csv_note=table.CSV_FORMULA_NOTE)

    def modified(self) -> str:
        """The date of the newest comment or reply in the data (ISO 8601), or ''."""
        stamps = [r["date"] for r in self.rows] + [r["reponse_date"] for r in self.rows if r["reponse_date"]]
        return max(stamps, key=lambda s: table.parse_utc(s)) if stamps else ""

    def modified_date(self):
        """``modified()`` as an aware datetime (Paris offset), or None."""
        stamp = self.modified()
        return datetime.fromisoformat(stamp) if stamp else None

    def write_data(self) -> list[dict]:
        base, folder = absolute_base(self.settings), self.settings["OPENDATA_URL"]
        publisher = self.settings.get("SITENAME", "")
        contents = [
            (table.CSV_NAME, "CSV (UTF-8, séparateur virgule, RFC 4180)", table.to_csv(self.rows)),
            (table.JSON_NAME, "JSON", table.to_json(self.rows, table.metadata(
                publisher=publisher, site=base, modified=self.modified()))),
            (table.SCHEMA_NAME, "Schéma (Table Schema, Frictionless)", table.dumps(
                table.schema(publisher=publisher, site=base))),
        ]
        files = []
        for name, label, data in contents:
            write_atomically(os.path.join(self.output_path, folder, name), data)
            files.append({"name": name, "url": folder + name, "label": label, "size": size_fr(len(data)),
                          "bytes": len(data)})
        return files

    def write_feeds(self, only=None) -> None:
        base, name = absolute_base(self.settings), self.settings.get("SITENAME", "")
        limit = int(self.settings["OPENDATA_FEED_MAX_ITEMS"])
        everything = [e for entries in self.entries.values() for e in entries]
        all_path = self.settings["OPENDATA_FEED_ALL"]
        if all_path:
            write_atomically(os.path.join(self.output_path, all_path), feeds.atom(
                everything, title=f"{name}\u00a0: derniers commentaires", link=base + "/",
                feed_url=f"{base}/{all_path}", max_items=limit))
        for slug, title, url, date in self.pages:
            if only is not None and slug not in only:
                continue
            path = self.settings["OPENDATA_FEED_THREAD"].format(slug=slug)
            write_atomically(os.path.join(self.output_path, path), feeds.atom(
                self.entries.get(slug, []), title=f"Commentaires\u00a0: {title}", link=url,
                feed_url=f"{base}/{path}", max_items=limit, empty_updated=date))


def add_generator(_pelican):
    return OpenData


def collect(generators):
    for gen in generators:
        if isinstance(gen, OpenData):
            gen.collect(generators)


def register():
    from . import moderation  # the monthly moderation table (moderation.py)

    signals.get_generators.connect(add_generator)
    signals.get_generators.connect(moderation.add_generator)
    signals.all_generators_finalized.connect(collect)
