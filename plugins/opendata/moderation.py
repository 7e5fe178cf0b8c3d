"""Moderation in the open: the monthly table of the comment moderation
(registered by the open-data plugin, ``opendata.register``).

A generator (anew for every build) reads the comment store
(``COMMENTS_STORE``; every state, and the accessibility requests;
counts only: ``table.monthly``) and writes
into the open data: ``donnees/moderation.csv`` and its Table Schema
``donnees/moderation.schema.json``, and the page ``MODERATION_STATS_URL``
(``donnees/moderation/``, template ``moderation.html``) that presents them,
through Pelican's writer (listed in the sitemap).
"""

from __future__ import annotations

import os

from pelican.generators import Generator

from comment_service import defaults
from comment_service.accessibility.records import Requests
from comment_service.rules.reasons import REASONS
from comment_service.reports.records import ReportStore
from comment_service.store import CommentStore
from sitekit import absolute_base
from sitekit.files import write_atomically

from . import moderation_table as table
from .opendata import size_fr
from .table import LICENCE, dumps

DEFAULTS = {"MODERATION_STATS_URL": "donnees/moderation/"}
CSV_NAME = "moderation.csv"
SCHEMA_NAME = "moderation.schema.json"


class ModerationStats(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, value in DEFAULTS.items():
            self.settings.setdefault(key, value)
            self.context.setdefault(key, value)  # the open-data page and the site plan link it

    def generate_context(self):
        pass

    def generate_output(self, writer) -> None:
        store = CommentStore(self.settings.get("COMMENTS_STORE", defaults.STORE))
        rows = table.monthly(store.iter_comments(), requests=Requests(store.root).all(),
                             reports=ReportStore(store.root).iter_all())
        folder = self.settings.get("OPENDATA_URL", "donnees/")
        data = {CSV_NAME: table.to_csv(rows),
                SCHEMA_NAME: dumps(table.schema(publisher=self.settings.get("SITENAME", ""),
                                                site=absolute_base(self.settings), licence=LICENCE))}
        files = []
        for name, content in data.items():
            write_atomically(os.path.join(self.output_path, folder, name), content)
            files.append({"name": name, "url": folder + name, "size": size_fr(len(content))})
        writer.write_file(self.settings["MODERATION_STATS_URL"] + "index.html",
                          self.get_template("moderation"), self.context,
                          relative_urls=self.settings.get("RELATIVE_URLS", False),
                          moderation_rows=rows, moderation_files=files,
                          moderation_reasons=[(table.reason_column(k), label)
                                              for k, label in REASONS.items()],
                          moderation_other=table.reason_column(table.OTHER))


def add_generator(_pelican):
    return ModerationStats
