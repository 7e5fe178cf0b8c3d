"""Links and images in bodies: no broken target is ever published.

At ``content_object_init`` (each content as it is read, before Pelican
replaces ``{filename}`` and ``{static}``), every ``href`` and ``src`` of the
body that points into content/ must name a file that exists, with the same
capitals (a site served from Linux is case-sensitive, even when the editor's
computer is not). Images are checked whatever their prefix (``{static}``,
``/images/…``, relative). At the end of generation, a ``{filename}`` link to
a draft is refused too: the draft is not published with the site.

The form of each address is judged first (``linkforms``: spaces, ``mailto:``,
``tel:``, a link to a ``.md`` file without ``{filename}``).

Each problem names the line of the source file where the target is written.
The links seen are kept in the build's settings (``LINKS_KEY``).
"""

from __future__ import annotations

import difflib
import html
import os
import re
from pathlib import Path
from urllib.parse import unquote

from sitekit import LINK_PREFIX_RE

from .linkforms import form_problem
from .problems import display_path, record_problem
from .sources import source_text

ATTR_RE = re.compile(r"""<(?P<tag>a|img|source)\b[^>]*?\s(?P<attr>href|src)\s*=\s*"""
                     r"""(?P<q>["'])(?P<value>.*?)(?P=q)""", re.IGNORECASE | re.DOTALL)
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
LINKS_KEY = "_EDITORIAL_LINKS"


def exact_file(path: Path, root: str) -> bool:
    """True when the file exists with exactly these capitals below root."""
    if not path.is_file():
        return False
    current = Path(root)
    for part in path.relative_to(root).parts:
        if part not in os.listdir(current):
            return False
        current = current / part
    return True


def case_twin(path: Path) -> Path | None:
    """The file whose name differs only by capitals, if there is one."""
    current = Path(path.anchor)
    for part in path.parts[1:]:
        try:
            names = os.listdir(current)
        except OSError:
            return None
        twin = next((n for n in names if n.lower() == part.lower()), None)
        if twin is None:
            return None
        current = current / twin
    return current if current.is_file() else None


def target_of(value: str, source_path: str, root: str,
              image: bool = False) -> tuple[str, Path] | None:
    """(prefix, content file) for a link into content/, else None. A bare
    word is a file for an image, a page address for a link."""
    value = html.unescape(value).split("#", 1)[0].split("?", 1)[0]
    match = LINK_PREFIX_RE.match(value)
    prefix = match.group(1) if match else ""
    rel = unquote(value[match.end():] if match else value)
    if not rel or SCHEME_RE.match(rel) or rel.startswith("//"):
        return None
    if not prefix and not image and not rel.startswith(("/", ".")) and "/" not in rel:
        return None  # a bare word: a page address, not a file
    base = root if rel.startswith("/") else os.path.dirname(source_path)
    return prefix, Path(os.path.normpath(os.path.join(base, rel.lstrip("/"))))


def line_of(source_path: str, needle: str) -> int | None:
    try:
        lines = source_text(source_path).splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for candidate in (needle, html.unescape(needle), unquote(html.unescape(needle))):
        for number, line in enumerate(lines, 1):
            if candidate in line:
                return number
    return None


def _missing_message(settings, source: str, kind: str, value: str, path: Path) -> str:
    what = "image" if kind == "img" else "lien"
    twin = case_twin(path)
    if twin is not None:
        return (f"{what} « {value} » : le fichier s'écrit « {twin.name} » (les majuscules "
                "comptent dans les noms de fichiers) ; recopiez le nom exact")
    message = f"{what} « {value} » : le fichier {display_path(settings, str(path))} n'existe pas"
    names = []
    if path.parent.is_dir():
        names = [n for n in os.listdir(path.parent)
                 if not n.startswith(".") and path.parent / n != Path(source)]
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.8)
    if close:
        return message + f" ; vouliez-vous dire « {close[0]} » ?"
    if kind == "img":
        return message + " ; déposez l'image dans content/images/ ou corrigez son nom"
    return message + " ; vérifiez le dossier et le nom du fichier"


def check_links(instance) -> None:
    """content_object_init: every local target of the body exists."""
    source = getattr(instance, "source_path", None)
    summary = (getattr(instance, "metadata", None) or {}).get("summary")
    markup = (getattr(instance, "_content", None) or "") + (
        summary if isinstance(summary, str) else "")
    if markup and source:
        check_markup(instance.settings, source, markup)


def check_markup(settings, source: str, markup: str) -> None:
    """Record a problem for each local target of this HTML that is missing;
    remember the {filename} links for the draft check."""
    root = os.path.abspath(settings["PATH"])
    for match in ATTR_RE.finditer(markup):
        tag, value = match.group("tag").lower(), match.group("value")
        problem = form_problem(tag, value, source, root)
        if problem:
            record_problem(settings, source, None, problem, line_of(source, value))
            continue
        found = target_of(value, source, root, image=tag != "a")
        if found is None:
            continue
        prefix, path = found
        if not prefix and tag == "a":
            continue  # a root-relative address of the site ("/agenda/"), checked in the output
        if path.is_relative_to(root) and exact_file(path, root):
            if prefix == "filename":
                settings.setdefault(LINKS_KEY, []).append((os.path.abspath(source), str(path),
                                                           value))
            continue
        record_problem(settings, source, None,
                       _missing_message(settings, source, "img" if tag != "a" else "a", value, path),
                       line_of(source, value))


def check_draft_links(settings, contents) -> None:
    """At the end of generation: a {filename} link from a published content to
    a draft, or to a scheduled article (a draft until its date), is refused."""
    by_path = {os.path.abspath(obj.source_path): obj
               for obj in contents if getattr(obj, "source_path", None)}
    for source, target, value in settings.get(LINKS_KEY, []):
        linked, origin = by_path.get(target), by_path.get(source)
        if linked is None or getattr(linked, "status", None) != "draft" \
                or getattr(origin, "status", "published") == "draft":
            continue
        if (getattr(linked, "metadata", {}) or {}).get("status") == "draft":
            what = "vers un brouillon (Status: draft) : il ne serait pas publié"
        else:
            what = (f"vers un article programmé (daté du {linked.date:%Y-%m-%d %H:%M}) : il "
                    "n'est pas encore publié")
        record_problem(settings, source, None, (
            f"lien « {value} » {what} et le lien serait cassé ; retirez le lien, ou "
            "publiez d'abord l'autre contenu"), line_of(source, value))


def reset_links(settings) -> None:
    settings[LINKS_KEY] = []
