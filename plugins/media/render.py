"""Media markup from the theme's partials (theme/templates/media/*.html).

One Jinja environment per build, kept in the build's settings (no module
state; ``Templates``); autoescaping on: titles and addresses are the editor's text. The
transcript is HTML made here: from the caption cues (paragraphs by speaker
and pause) or from the editor's transcript file (.txt read as Markdown, cleaned by nh3 to
a few text tags).
"""

from __future__ import annotations

import html
import os

import markdown
import nh3
from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader

ENV_KEY = "_MEDIA_TEMPLATES"
#: A pause longer than this (seconds) between two cues starts a new paragraph.
PARAGRAPH_PAUSE = 2.0
TRANSCRIPT_TAGS = {"p", "strong", "em", "ul", "ol", "li", "h3", "h4", "br", "a", "abbr"}


class Templates:
    """The theme's media partials, loaded once per build. Pelican pickles the
    settings with its content cache (categories keep them): only the folder
    is pickled, never the Jinja environment."""

    def __init__(self, folder: str):
        self.folder = folder
        self.env = Environment(loader=FileSystemLoader(folder), autoescape=True,
                               trim_blocks=True, lstrip_blocks=True)

    def __reduce__(self):
        return (Templates, (self.folder,))


def render(settings, kind: str, model: dict) -> str:
    templates = settings.get(ENV_KEY)
    if templates is None:
        templates = settings[ENV_KEY] = Templates(os.path.join(settings["THEME"], "templates"))
    return templates.env.get_template(f"media/{kind}.html").render(**model).strip()


def transcript_from_cues(cues) -> Markup:
    """Paragraphs of the caption text: a new one when the speaker changes or
    after a pause; « Nom : » before a speaker's words."""
    paragraphs: list[tuple[str, list[str]]] = []
    last_end = None
    for cue in cues:
        speaker = cue.speaker
        same = paragraphs and (not speaker or speaker == paragraphs[-1][0])
        if same and last_end is not None and cue.start - last_end <= PARAGRAPH_PAUSE:
            paragraphs[-1][1].append(cue.plain)
        else:
            paragraphs.append((speaker or (paragraphs[-1][0] if same else ""), [cue.plain]))
        last_end = cue.end
    out = []
    for speaker, words in paragraphs:
        who = f"<strong>{html.escape(speaker)}\u00a0:</strong> " if speaker else ""
        out.append(f"<p>{who}{html.escape(' '.join(words))}</p>")
    return Markup("\n".join(out))  # every word escaped above: safe to show as is


def transcript_from_text(text: str) -> Markup:
    """The editor's transcript (Markdown), reduced to text tags by nh3 (safe to show)."""
    rendered = markdown.markdown(text, output_format="html5")
    return Markup(nh3.clean(rendered, tags=TRANSCRIPT_TAGS, attributes={"a": {"href"}, "abbr": {"title"}},
                     url_schemes={"http", "https", "mailto"}).strip())
