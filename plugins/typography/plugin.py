"""Wiring into Pelican: French typography on every content object as it is made.

Signal ``content_object_init`` (articles, pages, events, drafts alike): the
title (plain text), the ``Summary`` (HTML) and the body (HTML) get French
no-break spaces (``typography.py``). The slug is made before this signal, so
URLs and comment threads do not change. ``TYPOGRAPHY_FRENCH`` (default True)
turns it off. The plain-text fields named in ``TYPOGRAPHY_TEXT_FIELDS``
(default: the events' ``location``, ``address``, ``organizer`` and
``accessibility``) are typeset in the metadata, before the content type
reads them.

Signal ``generator_init``: the ``plain_text`` filter (a summary as one line of
text for a description, no-break spaces kept; Jinja's ``striptags`` would
turn them into ordinary spaces) and the ``french_text`` filter (plain text
that is not content, e.g. settings or data files, typeset in the template).
"""

from __future__ import annotations

from pelican import signals

from .typography import french_html, french_text, plain_text


TEXT_FIELDS = ("location", "address", "organizer", "accessibility")


def apply(content) -> None:
    if not content.settings.get("TYPOGRAPHY_FRENCH", True):
        return
    for name in content.settings.get("TYPOGRAPHY_TEXT_FIELDS", TEXT_FIELDS):
        if isinstance(content.metadata.get(name), str):
            content.metadata[name] = french_text(content.metadata[name])
    title = getattr(content, "title", None)
    if isinstance(title, str):
        content.title = french_text(title)
        content.metadata["title"] = content.title
    if isinstance(getattr(content, "_content", None), str):
        content._content = french_html(content._content)
    summary = content.metadata.get("summary")
    if isinstance(summary, str):
        content.metadata["summary"] = french_html(summary)
        content._summary = content.metadata["summary"]


def add_filters(generator):
    generator.env.filters["plain_text"] = plain_text
    generator.env.filters["french_text"] = french_text


def register():
    signals.content_object_init.connect(apply)
    signals.generator_init.connect(add_filters)
