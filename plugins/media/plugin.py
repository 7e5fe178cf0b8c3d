"""Videos, sounds, third-party videos and addresses in article, page and
event bodies (``content_object_init``, before typography; sealed after every
other plugin's receiver).

Each media block (``syntax.py``) and each known platform's address alone on
its line becomes its component (``components.py`` checks it, ``render.py``
writes it from the theme's partials); a block that breaks a rule is left as
it was and each problem is recorded with ``editorial.record_problem`` (file,
line, fix): the build stops with all of them.

Two steps, so that the editor's words in a component (titles, transcripts)
get the French typography like the rest of the body: ``process`` writes each
component between two comments carrying this build's random mark (no editor
can guess it), the typography plugin then sets its spaces (it never touches
comments or attributes), and ``seal``, connected last, removes the marks and
trusts the markup between them for this build (``sitekit.trusted``): the HTML
policy, which still refuses an editor's own ``<video>`` or ``<iframe>``, lets
exactly that markup through.

A content with media gets ``has_media`` (its template then links
theme/static/css/media.css and js/media.js).

Settings: ``MEDIA_PATH`` ("media", inside the content folder; add it to
STATIC_PATHS), ``MEDIA_PEERTUBE_INSTANCES`` (default: sitekit.embeds's list,
the one the Content-Security-Policy allows).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from pelican import signals

from editorial import record_problem
from sitekit import embeds
from sitekit.trusted import trust

from . import components, syntax
from .render import render

MEDIA_PATH = "media"
NEUTRAL_POSTER = "images/video-neutre.svg"
MARK_KEY = "_MEDIA_MARK"


def mark_of(settings) -> str:
    """This build's random mark (kept in its settings)."""
    mark = settings.get(MARK_KEY)
    if mark is None:
        mark = settings[MARK_KEY] = secrets.token_hex(12)
    return mark


def marked(settings, fragment: str) -> str:
    mark = mark_of(settings)
    return f"<!--media:{mark}-->{fragment}<!--/media:{mark}-->"


def source_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def context_for(content, report) -> components.Context:
    settings = content.settings
    media = settings.get("MEDIA_PATH", MEDIA_PATH)
    siteurl = settings.get("SITEURL", "")
    return components.Context(
        media_dir=Path(settings["PATH"]) / media,
        media_url="{static}/" + media,
        neutral_poster=f"{siteurl}/{settings.get('THEME_STATIC_DIR', 'theme')}/{NEUTRAL_POSTER}",
        cache_dir=settings.get("CACHE_PATH") if settings.get("CACHE_CONTENT") else None,
        instances=tuple(settings.get("MEDIA_PEERTUBE_INSTANCES", embeds.PEERTUBE_INSTANCES)),
        fail=report)


def replace_blocks(content, body: str, lines: list[str], ctx) -> str:
    fences = syntax.fence_lines(lines)
    path, settings = content.source_path, content.settings
    for number, block in enumerate(syntax.blocks(body)):
        fence = fences[number] if number < len(fences) else None

        def report(key, message, block=block, fence=fence):
            line = fence + block.key_lines[key] if fence and key in block.key_lines else fence
            record_problem(settings, path, None, message, line=line)

        for offset, message in block.errors:
            record_problem(settings, path, None, message, line=fence + offset if fence else None)
        if block.errors:
            continue
        ctx.fail, ctx.index = report, ctx.index + 1
        if block.kind in ("video", "audio") and not block.values.get("titre"):
            report(None, f"bloc {block.kind} sans « titre: » ; donnez le titre qui identifie "
                   "ce média (RGAA 4.7)")
            continue
        model = components.BUILDERS[block.kind](block, ctx)
        if model is not None:
            kind = "embed" if "player" in model else {"carte": "map"}.get(block.kind, block.kind)
            body = body.replace(block.html, marked(settings, render(settings, kind, model)), 1)
    return body


def replace_urls(content, body: str, lines: list[str], ctx) -> str:
    path, settings = content.source_path, content.settings
    for paragraph, url in syntax.bare_urls(body):
        found = embeds.parse(url, ctx.instances)
        if found is None and not embeds.looks_like_peertube(url):
            continue  # an address like any other: left as the editor wrote it
        if isinstance(found, str):
            continue  # a platform's page that is not a video (a channel): left as is
        line = syntax.url_line(lines, url)
        ctx.index += 1
        ctx.fail = lambda key, message, line=line: record_problem(settings, path, None,
                                                                  message, line=line)
        model = components.embed(url, None, ctx)
        if model is not None:
            body = body.replace(paragraph, marked(settings, render(settings, "embed", model)), 1)
    return body


def process(content) -> None:
    body = getattr(content, "_content", None)
    path = getattr(content, "source_path", None)
    if not body or not path or ("language-" not in body and "<p>http" not in body):
        return
    lines = source_lines(path)
    ctx = context_for(content, None)
    new = replace_urls(content, replace_blocks(content, body, lines, ctx), lines, ctx)
    if new != body:
        content._content = new
        content.has_media = True


def seal(content) -> None:
    """Unmark the components of a body and trust them (after typography)."""
    settings = getattr(content, "settings", None)
    body = getattr(content, "_content", None)
    if not settings or not body or settings.get(MARK_KEY) is None or "<!--media:" not in body:
        return
    mark = re.escape(settings[MARK_KEY])
    pattern = re.compile(f"<!--media:{mark}-->(.*?)<!--/media:{mark}-->", re.S)
    content._content = pattern.sub(lambda m: trust(settings, m[1]), body)


def connect_last(pelican) -> None:
    # After every plugin's receiver (typography, images): blinker calls them in
    # the order they were connected; connecting again changes nothing.
    signals.content_object_init.connect(seal)


def register():
    signals.content_object_init.connect(process)
    signals.initialized.connect(connect_last)
