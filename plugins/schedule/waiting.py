"""What is waiting: every build lists its scheduled articles (with their
date) and its drafts, in French, so that an editor learns that a text is not
online (a date typed 2062 instead of 2026, a forgotten ``Status: draft``).

At ``all_generators_finalized`` the list (``waiting_lines``) is kept in the
build's settings (``sitekit.WAITING_KEY``) for the command that ran the build
(``python -m editorial`` prints it at the end of ``make html``; the
publisher's log), and written to ``SCHEDULE_WAITING_FILE`` when that
setting names a file (``python -m release publish`` sets one beside its
staging folder, never inside the published output: drafts' titles are not
public).
"""

from __future__ import annotations

from pathlib import Path

from editorial import display_path
from sitekit import WAITING_KEY
from sitekit.dates import datetime_fr

#: Where each generator keeps its unpublished texts (articles: drafts and
#: scheduled articles, plugins/schedule; pages; events, plugins/events).
DRAFT_LISTS = ("drafts", "draft_pages", "draft_events")


def unpublished(generators) -> list:
    seen, found = set(), []
    for gen in generators:
        for name in DRAFT_LISTS:
            for item in getattr(gen, name, None) or []:
                if id(item) not in seen:
                    seen.add(id(item))
                    found.append(item)
    return found


def waiting_lines(settings, items) -> list[str]:
    """One French line per waiting text, scheduled ones first by date, then
    drafts by file; a heading line first; empty when nothing waits."""
    scheduled = sorted((i for i in items if getattr(i, "scheduled", False)),
                       key=lambda i: i.date)
    drafts = sorted((i for i in items if not getattr(i, "scheduled", False)),
                    key=lambda i: i.source_path)
    if not scheduled and not drafts:
        return []
    lines = [f"En attente de publication : {len(scheduled)} article(s) programmé(s), "
             f"{len(drafts)} brouillon(s)."]
    lines += [f"- programmé le {datetime_fr(i.date)} : « {i.title} » "
              f"({display_path(settings, i.source_path)})" for i in scheduled]
    lines += [f"- brouillon : « {i.title} » ({display_path(settings, i.source_path)})"
              for i in drafts]
    return lines


def note_waiting(generators):
    if not generators:
        return
    settings = generators[0].settings
    lines = waiting_lines(settings, unpublished(generators))
    settings[WAITING_KEY] = lines
    target = settings.get("SCHEDULE_WAITING_FILE")
    if target:
        Path(target).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
