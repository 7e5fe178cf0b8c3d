"""Wiring into Pelican: French typography on every content object as it is made.

Signal ``content_object_init`` (articles, pages, events, drafts alike): the
title (plain text), the ``Summary`` (HTML) and the body (HTML) get French
no-break spaces (``typography.py``). The slug is made before this signal, so
URLs and comment threads do not change. ``TYPOGRAPHY_FRENCH`` (default True)
turns it off.
"""

from __future__ import annotations

from pelican import signals

from .typography import french_html, french_text


def apply(content) -> None:
    if not content.settings.get("TYPOGRAPHY_FRENCH", True):
        return
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


def register():
    signals.content_object_init.connect(apply)
