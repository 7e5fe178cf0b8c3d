"""Re-read edited content files into a finished build's page data.

The fast path of an editor's change to a body: instead of a new Pelican
build (every file from the content cache, every plugin over all of them),
each edited file is read again by the generator that read it, with the same
readers, context and signals (``content_object_init``: the editorial link
checks, image sizes, French typography), and then:

* it must still be the same content in every way but its body: same kind,
  address, output file and every metadata field (what listings, feeds,
  sitemap and search entries show), but for the case below; otherwise
  ``None`` (a full publication);
* the statement must not show the automated checks' figures (they describe
  the sources before the edit: a full publication says they are stale);
* it must pass the checks a full build makes of one body: the editorial
  problems its reading records (missing link targets or images), links to
  drafts and scheduled articles, the HTML policy; otherwise ``None``, and the
  full publication that follows reports them and switches nothing. (The
  links of the re-rendered pages are checked by ``staged_links.py``.)

A published article whose title or summary changed too, its address
unchanged, stays in the fast path (``listed``): it keeps its place in every
listing, and the publisher re-renders, besides its page, the listing pages
that show it, its neighbours' pages (they show its title), the feeds that
carry it and the open data (``shown``).

Only then is the kept object given the new body (``_content``) and fields,
and Pelican's memoised ``content``/``summary`` of it forgotten: every list,
category, tag, neighbour and context that refers to it sees the change, and
nothing it got from other plugins (comments, neighbours) is lost; its
JSON-LD is made again. Nothing is changed when any file fails.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import SimpleNamespace

#: The generators' lists of written contents (translations are not used here:
#: a file found nowhere else makes a full publication).
WRITTEN = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages",
           "events", "hidden_events", "draft_events")
#: What a content's reading gives it that the fast path swaps in: its body
#: (typography and images included) and the fields read with it.
SWAPPED = ("_content", "_summary", "metadata", "title")
#: What plugins made of those fields later (plugins/seo; plugins/media's
#: has_media, which links the media stylesheet and script), made again here:
#: kept with them, so that an undo puts them back too.
DERIVED = ("jsonld", "og_image", "has_media")
#: Fields of a published article that change no address and no order: shown
#: on its page, its cards, its neighbours' pages, feeds and the open data.
LISTED = frozenset({"title", "summary"})
#: Pelican's readers signals, by the list a content comes from (as its generators send them).
READ_SIGNALS = {"articles": "article", "hidden_articles": "article", "drafts": "article",
                "pages": "page", "hidden_pages": "page", "draft_pages": "page"}


def locate(generators, source: str):
    """(generator, list name, object) of the content read from ``source``, or None."""
    for gen in generators:
        for name in WRITTEN:
            for obj in getattr(gen, name, None) or ():
                if getattr(obj, "source_path", None) == source:
                    return gen, name, obj
    return None


def identity(obj, leave=frozenset()) -> tuple:
    """Everything but the body and the fields in ``leave``."""
    return (type(obj), obj.url, obj.save_as,
            sorted((k, repr(v)) for k, v in obj.metadata.items() if k not in leave))


def change_of(name: str, old, new) -> str | None:
    """"body" (only the body changed), "listed" (a published article's title or
    summary too, its address unchanged), or None (a full publication)."""
    if identity(new) == identity(old):
        return "body"
    if name == "articles" and identity(new, LISTED) == identity(old, LISTED):
        return "listed"
    return None


def neighbours(obj) -> set[str]:
    """The slugs of the articles whose pages link to ``obj`` by its title
    (plugins/navigation: previous and next)."""
    return {n.slug for n in (getattr(obj, "prev_article", None),
                             getattr(obj, "next_article", None)) if n is not None}


def read_again(gen, name: str, old):
    from pelican import signals

    kind = READ_SIGNALS.get(name)
    hooks = {}
    if kind:
        hooks = {"preread_signal": getattr(signals, f"{kind}_generator_preread"),
                 "preread_sender": gen,
                 "context_signal": getattr(signals, f"{kind}_generator_context"),
                 "context_sender": gen}
    relative = os.path.relpath(old.source_path, gen.path)
    return gen.readers.read_file(base_path=gen.path, path=relative, content_class=type(old),
                                 context=gen.context, **hooks)


def refused(settings, generators, fresh: list) -> bool:
    """Whether these freshly read contents break a rule a full build enforces
    (their reading recorded problems, or the checks below do)."""
    from editorial import check_draft_links, contents, problems_of
    from htmlpolicy import check_content

    if settings.get("HTML_POLICY", True):
        for obj in fresh:
            check_content(settings, obj)
    # The links noted are those of these files only (see ``reread``).
    check_draft_links(settings, contents(generators))
    return any(problems_of(settings).values())


def forget_memos(obj) -> None:
    """Pelican memoises ``get_content``/``get_summary`` per (object, site URL)."""
    for klass in type(obj).__mro__:
        for attr in ("get_content", "get_summary"):
            memo = klass.__dict__.get(attr)
            for key in [k for k in getattr(memo, "cache", {}) if k and k[0] is obj]:
                del memo.cache[key]


def swap_bodies(pairs) -> list:
    """Give each kept object what its fresh reading gave (``SWAPPED``); return
    the pairs that undo it."""
    undo = []
    for old, new in pairs:
        kept = SWAPPED + DERIVED
        undo.append((old, SimpleNamespace(**{k: v for k, v in vars(old).items() if k in kept})))
        for name in kept:
            if name in vars(new):
                setattr(old, name, getattr(new, name))
        forget_memos(old)
    return undo


@dataclass
class Reread:
    undo: list  # swap_bodies(undo) puts the kept objects back as they were
    listed: frozenset[str] = frozenset()  # slugs of articles whose title or summary changed
    shown: frozenset[str] = frozenset()  # ...and of the articles whose pages show those


def reread(generators, sources, report: list | None = None) -> Reread | None:
    """Give the kept contents of ``sources`` their new bodies (and titles or
    summaries); None (and nothing changed) when a full publication is needed
    instead. ``report``: receives the French lines of the problems found
    (when None is returned because of them)."""
    from editorial import LINKS_KEY, problems_of
    from editorial.problems import report_lines

    if not generators:
        return None
    settings = generators[0].settings
    if (settings.get("ACCESSIBILITY_AUTOCHECKS") or {}).get("done"):
        # The statement shows the automated checks of these very sources
        # (plugins/accessibility/autochecks.py): a full build says they are stale.
        return None
    found = [locate(generators, source) for source in sorted(sources)]
    if not found or None in found:
        return None  # a new file, a removed one, or one Pelican did not publish
    links = settings.get(LINKS_KEY, [])
    settings[LINKS_KEY] = []  # filled by the reading below: these files' links only
    pairs, listed = [], []
    try:
        for gen, name, old in found:
            new = read_again(gen, name, old)
            change = change_of(name, old, new) if new is not None else None
            if change is None:
                return None
            pairs.append((old, new))
            if change == "listed":
                listed.append(old)
        if refused(settings, generators, [new for _, new in pairs]):
            return None
        edited = {os.path.abspath(old.source_path) for old, _ in pairs}
        links = [link for link in links if link[0] not in edited] + settings[LINKS_KEY]
    except Exception:  # unreadable now: the full build says why, in French
        return None
    finally:
        settings[LINKS_KEY] = links
        if report is not None:
            report += report_lines(settings)
        problems_of(settings).clear()  # the full build that follows a refusal finds them again
    undo = swap_bodies(pairs)
    if listed:
        from seo import prepare_articles

        prepare_articles([SimpleNamespace(articles=listed)])  # their JSON-LD: headline, description
    slugs = frozenset(obj.slug for obj in listed)
    return Reread(undo, slugs, slugs.union(*(neighbours(obj) for obj in listed)))
