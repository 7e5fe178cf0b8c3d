"""Publish moderated comments at build time; tell the service which threads exist.

* After all generators have run (``all_generators_finalized``, so that it also
  works when Pelican's content cache skipped the reader), every article (and
  every event, when the events plugin is on) gets:
  ``comments`` (approved comments, oldest first), ``comments_open`` (bool) and
  ``comment_thread`` (the thread identifier: the slug).
* At the end of a successful build (``finalized``), the threads manifest is
  written into the output (``COMMENTS_MANIFEST``): which pages exist, their
  URLs and titles, and whether they accept comments. The comment service reads
  it and refuses comments for any other thread.
* A malformed comment file is reported with its path and skipped: a visitor's
  data must never break the editors' build.

Store layout (written by ``comment_service``): ``<store>/approved/<thread>/<id>.json``
with the fields id, thread, name, email, text, created_at, status.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from pelican import signals

logger = logging.getLogger(__name__)

# The same shape as comment_service.store.THREAD_RE (a test keeps them equal).
THREAD_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$")
ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,79}$")
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Comment:
    """A published comment. Every field is plain text written by a visitor:
    templates show them through Jinja's autoescaping, never with ``|safe``."""

    id: str
    name: str
    text: str
    created_at: dt.datetime  # aware, Europe/Paris

    @property
    def anchor(self) -> str:
        return f"commentaire-{self.id}"


def _parse_time(value: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("created_at has no time zone")
    return parsed.astimezone(PARIS)


def read_comment(path: str, thread: str) -> Comment:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for field in ("id", "name", "text", "created_at"):
        if not isinstance(data.get(field), str):
            raise ValueError(f"field {field!r} missing or not a string")
    if not ID_RE.match(data["id"]):
        raise ValueError(f"invalid id {data['id']!r}")
    if data.get("thread", thread) != thread:
        raise ValueError(f"thread {data.get('thread')!r} does not match its folder")
    return Comment(id=data["id"], name=data["name"], text=data["text"],
                   created_at=_parse_time(data["created_at"]))


def load_thread(store: str, thread: str) -> list[Comment]:
    """Approved comments of one thread, oldest first; bad files are skipped."""
    if not THREAD_RE.match(thread):
        return []
    folder = os.path.join(store, "approved", thread)
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    found = []
    for name in names:
        if not name.endswith(".json"):
            continue
        path = os.path.join(folder, name)
        try:
            found.append(read_comment(path, thread))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            logger.warning("Skipping malformed comment file %s: %s", path, exc)
    found.sort(key=lambda c: (c.created_at, c.id))
    return found


def text_to_html(text: str) -> Markup:
    """A visitor's text as HTML: escaped, paragraphs on blank lines, line
    breaks kept. Nothing in it is ever interpreted as markup."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in p.split("\n")))
        for p in paragraphs if p.strip()
    )


def _targets(generators, settings):
    """(content object, published?) for every page that renders comments.

    Drafts are rendered too (at their draft URL) but take no comments. Every
    one of them gets the attributes, so that no template ever sees Pelican's
    raw ``comments`` metadata string instead of a list."""
    kinds = settings.get("COMMENTS_ON", ("articles", "events"))
    for gen in generators:
        if "articles" in kinds and hasattr(gen, "hidden_articles"):
            for obj in [*gen.articles, *gen.translations, *gen.hidden_articles,
                        *gen.hidden_translations]:
                yield obj, True
            for obj in [*gen.drafts, *gen.drafts_translations]:
                yield obj, False
        if "events" in kinds and hasattr(gen, "events"):
            for obj in [*gen.events, *getattr(gen, "hidden_events", [])]:
                yield obj, True
            for obj in getattr(gen, "draft_events", []):
                yield obj, False


def _is_open(obj) -> bool:
    value = str(getattr(obj, "metadata", {}).get("comments", "open")).strip().lower()
    return value != "closed"


_manifest: dict | None = None


def attach_comments(generators):
    global _manifest
    if not generators:
        return
    settings = generators[0].settings
    store = settings.get("COMMENTS_STORE", "var/comments")
    try:  # one listing of the store, not one look-up per page
        with_comments = set(os.listdir(os.path.join(store, "approved")))
    except FileNotFoundError:
        with_comments = set()
    threads = {}
    for obj, published in _targets(generators, settings):
        thread = obj.slug
        obj.comment_thread = thread
        if not published:
            obj.comments, obj.comments_open = [], False
            continue
        obj.comments_open = _is_open(obj)
        obj.comments = load_thread(store, thread) if thread in with_comments else []
        if not THREAD_RE.match(thread):
            logger.warning("%s: slug %r cannot be a comment thread", obj.source_path, thread)
            obj.comments_open = False
            continue
        threads[thread] = {"url": "/" + obj.url, "title": obj.title,
                           "open": obj.comments_open}
    _manifest = {"version": 1, "threads": dict(sorted(threads.items()))}


def write_manifest(pelican):
    global _manifest
    if _manifest is None:
        return
    path = os.path.join(pelican.output_path,
                        pelican.settings.get("COMMENTS_MANIFEST", "comment-threads.json"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Atomic replace: the running service may read it at any moment.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".threads-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(_manifest, handle, ensure_ascii=False, indent=1)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    _manifest = None


def add_filters(generator):
    generator.env.filters["comment_html"] = text_to_html


def register():
    signals.generator_init.connect(add_filters)
    signals.all_generators_finalized.connect(attach_comments)
    signals.finalized.connect(write_manifest)
