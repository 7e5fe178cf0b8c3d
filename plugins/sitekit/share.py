"""The share image of an article or an event (its ``Image:`` field), for Open
Graph and JSON-LD (plugins/seo for articles, plugins/events for events)."""

from __future__ import annotations

from pathlib import Path

from .text import absolute_base, content_link


def image_path(value: str) -> str:
    """'{static}/images/a.png', '/images/a.png', 'images/a.png' -> 'images/a.png'."""
    return content_link(value).lstrip("/")


def share_image(settings, value) -> tuple[str | None, str | None]:
    """(its absolute address, None), or (None, the French problem) when the
    file is not in the content folder; (None, None) without a value."""
    if not value:
        return None, None
    rel = image_path(str(value))
    if Path(settings["PATH"], rel).is_file():
        return f"{absolute_base(settings)}/{rel}", None
    return None, (f"fichier « {value} » introuvable dans content/ ; "
                  "écrivez par exemple « Image: images/abbaye.jpg »")
