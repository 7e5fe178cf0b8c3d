"""Refuse HTML outside the allow-list in bodies and summaries (``policy.py``).

Runs at ``all_generators_finalized`` over every piece of content the build
read (articles, drafts, hidden and scheduled articles, pages, events), from
the reader's cache or not, and records each refusal with
``editorial.record_problem``: the editorial plugin then stops the build with
every problem listed. ``htmlpolicy`` must therefore come before
``editorial`` in PLUGINS (both listen to the same signal; a test checks the
order).

Lines: a body's refusal is located by searching the Markdown source (after
the header) for the refused tag, attribute or address; a summary's is the
``Summary:`` line. Setting: ``HTML_POLICY`` (default True).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pelican import signals

from sitekit.trusted import untrusted

from .policy import alt_message, images_without_alt, refusals

logger = logging.getLogger(__name__)

SUMMARY_LINE = re.compile(r"^\s*summary\s*:", re.IGNORECASE)


def source_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def header_end(lines: list[str]) -> int:
    """Index of the first body line (after the first blank line)."""
    for number, line in enumerate(lines):
        if not line.strip():
            return number + 1
    return len(lines)


def body_line(lines: list[str], needle: str) -> int:
    """1-based line of the body where ``needle`` first appears (else the first body line)."""
    start = header_end(lines)
    lowered = needle.lower()
    for number in range(start, len(lines)):
        if lowered in lines[number].lower():
            return number + 1
    return min(start + 1, max(len(lines), 1))


def summary_line(lines: list[str]) -> int:
    for number, line in enumerate(lines[:header_end(lines)]):
        if SUMMARY_LINE.match(line):
            return number + 1
    return 1


def check_content(settings, content) -> int:
    """Record the refusals of one content object, in line order; return how many."""
    path = getattr(content, "source_path", None)
    if not path:
        return 0
    summary = (getattr(content, "metadata", None) or {}).get("summary")
    in_summary = refusals(summary if isinstance(summary, str) else "")
    # The site's own components (plugins/media) are not the editor's HTML.
    body = untrusted(settings, getattr(content, "_content", "") or "")
    in_body = refusals(body)
    no_alt = images_without_alt(body)
    if not in_summary and not in_body and not no_alt:
        return 0
    # Imported when used: Pelican loads plugins by name in PLUGINS order, and
    # this one is listed (and loaded) before editorial.
    from editorial import record_problem

    lines = source_lines(path)
    found = [(summary_line(lines), "dans le résumé (Summary), " + r.message())
             for r in in_summary]
    found += [(body_line(lines, r.needle), r.message()) for r in in_body]
    found += [(body_line(lines, src or "<img"), alt_message(src)) for src in no_alt]
    for number, message in sorted(found, key=lambda item: item[0]):
        record_problem(settings, path, None, message, line=number)
    return len(found)


def check_generators(generators):
    if not generators:
        return
    settings = generators[0].settings
    if not settings.get("HTML_POLICY", True):
        return
    seen = set()
    for gen in generators:
        for content in (gen.context.get("generated_content") or {}).values():
            if content is not None and id(content) not in seen:
                seen.add(id(content))
                check_content(settings, content)


def register():
    signals.all_generators_finalized.connect(check_generators)
