"""Re-read edited content files into a finished build's page data.

The fast path of an editor's change to a body: instead of a new Pelican
build (every file from the content cache, every plugin over all of them),
each edited file is read again by the generator that read it, with the same
readers, context and signals (``content_object_init``: the editorial link
checks, image sizes, French typography), and then:

* it must still be the same content in every way but its body: same kind,
  address, output file and every metadata field (what listings, feeds,
  sitemap and search entries show); otherwise ``None`` (a full publication);
* it must pass the checks a full build makes of one body: the editorial
  problems its reading records (missing link targets or images), links to
  drafts and scheduled articles, the HTML policy; otherwise ``None``, and the
  full publication that follows reports them and switches nothing. (The
  links of the re-rendered pages are checked by ``staged_links.py``.)

Only then is the kept object given the new body (``_content``), and
Pelican's memoised ``content``/``summary`` of it forgotten: every list,
category, tag, neighbour and context that refers to it sees the change, and
nothing it got from other plugins (comments, neighbours, JSON-LD) is lost.
Nothing is changed when any file fails.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

#: The generators' lists of written contents (translations are not used here:
#: a file found nowhere else makes a full publication).
WRITTEN = ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages",
           "events", "hidden_events", "draft_events")
#: What a content's reading makes of its body (typography and images included).
BODY = ("_content", "_summary")
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


def identity(obj) -> tuple:
    """Everything but the body: equal for a plain body edit."""
    return (type(obj), obj.url, obj.save_as,
            sorted((k, repr(v)) for k, v in obj.metadata.items()))


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
    from editorial import problems_of
    from editorial.checks import contents
    from editorial.links import check_draft_links
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
    """Give each kept object the body of its fresh reading; return the pairs
    that undo it."""
    undo = []
    for old, new in pairs:
        undo.append((old, SimpleNamespace(**{k: v for k, v in vars(old).items() if k in BODY})))
        for name in BODY:
            if name in vars(new):
                setattr(old, name, getattr(new, name))
        forget_memos(old)
    return undo


def reread(generators, sources) -> list | None:
    """Give the kept contents of ``sources`` their new bodies and return what
    undoes it (``swap_bodies(undo)``); None (and nothing changed) when a full
    publication is needed instead."""
    from editorial import problems_of
    from editorial.links import LINKS_KEY

    if not generators:
        return None
    settings = generators[0].settings
    found = [locate(generators, source) for source in sorted(sources)]
    if not found or None in found:
        return None  # a new file, a removed one, or one Pelican did not publish
    links = settings.get(LINKS_KEY, [])
    settings[LINKS_KEY] = []  # filled by the reading below: these files' links only
    pairs = []
    try:
        for gen, name, old in found:
            new = read_again(gen, name, old)
            if new is None or identity(new) != identity(old):
                return None
            pairs.append((old, new))
        if refused(settings, generators, [new for _, new in pairs]):
            return None
        edited = {os.path.abspath(old.source_path) for old, _ in pairs}
        links = [link for link in links if link[0] not in edited] + settings[LINKS_KEY]
    except Exception:  # unreadable now: the full build says why, in French
        return None
    finally:
        settings[LINKS_KEY] = links
        problems_of(settings).clear()  # the full build that follows a refusal finds them again
    return swap_bodies(pairs)
