"""Publish moderated comments at build time; tell the service which threads exist.

Signals:

* ``get_generators``: adds a ``ThreadsManifest`` generator, made anew by
  Pelican for every build; this build's manifest lives on it (no state at
  module level: two builds in one process never share anything).
* ``all_generators_finalized`` (so that it also works when Pelican's content
  cache skipped the reader): every article (and every event, when the events
  plugin is on) gets ``comments`` (approved comments, oldest first),
  ``comments_open`` (bool) and ``comment_thread`` (the thread identifier:
  the slug); the manifest gets one entry per published page.
* ``generator_init``: the ``comment_html`` filter (a visitor's text as HTML).

Settings: ``COMMENTS_STORE`` (the store folder), ``COMMENTS_MANIFEST`` (file
name in the output), ``COMMENTS_ON`` (``("articles", "events")``).

Comments are read only through the store's API (``comment_service.store``):
it owns the folders, patterns and file format, and reports a damaged file
with its path and skips it, so a visitor's data never breaks the editors'
build. This plugin keeps only presentation (``published``) and the manifest.
"""

from __future__ import annotations

import logging

from pelican import signals

from comment_service import defaults
from comment_service.store import CommentStore, is_thread_id

from .manifest import ThreadsManifest
from .published import load_thread, text_to_html

logger = logging.getLogger(__name__)

DEFAULT_ON = ("articles", "events")


def _targets(generators, settings):
    """(content object, published?, kind) for every page that renders comments.

    Drafts are rendered too (at their draft URL) but take no comments. Every
    one of them gets the attributes, so that no template ever sees Pelican's
    raw ``comments`` metadata string instead of a list."""
    kinds = settings.get("COMMENTS_ON", DEFAULT_ON)
    for gen in generators:
        if "articles" in kinds and hasattr(gen, "hidden_articles"):
            for obj in [*gen.articles, *gen.translations, *gen.hidden_articles,
                        *gen.hidden_translations]:
                yield obj, True, "article"
            for obj in [*gen.drafts, *gen.drafts_translations]:
                yield obj, False, "article"
        if "events" in kinds and hasattr(gen, "events"):
            for obj in [*gen.events, *getattr(gen, "hidden_events", [])]:
                yield obj, True, "event"
            for obj in getattr(gen, "draft_events", []):
                yield obj, False, "event"


def _is_open(obj) -> bool:
    value = str(getattr(obj, "metadata", {}).get("comments", "open")).strip().lower()
    return value != "closed"


def attach_comments(generators):
    manifest = next((g for g in generators if isinstance(g, ThreadsManifest)), None)
    if manifest is None:
        return
    settings = manifest.settings
    store = CommentStore(settings.get("COMMENTS_STORE", defaults.STORE))
    with_comments = store.threads_with("approved")  # one listing, not one look-up per page
    manifest.start()
    for obj, published, kind in _targets(generators, settings):
        thread = obj.slug
        obj.comment_thread = thread
        if not published:
            obj.comments, obj.comments_open = [], False
            continue
        obj.comments_open = _is_open(obj)
        obj.comments = load_thread(store, thread) if thread in with_comments else []
        if not is_thread_id(thread):
            logger.warning("%s: slug %r cannot be a comment thread", obj.source_path, thread)
            obj.comments_open = False
            continue
        manifest.add(thread, "/" + obj.url, obj.title, obj.comments_open, kind)


def add_generator(_pelican):
    return ThreadsManifest


def add_filters(generator):
    generator.env.filters["comment_html"] = text_to_html


def register():
    signals.get_generators.connect(add_generator)
    signals.generator_init.connect(add_filters)
    signals.all_generators_finalized.connect(attach_comments)
