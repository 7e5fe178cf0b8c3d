"""What HTML editors may write in Markdown, judged by nh3 (Ammonia).

Pure: no Pelican, no I/O. ``refusals(html)`` returns what the sanitiser
would remove from a fragment; the plugin (``plugin.py``) turns each refusal
into a French message naming the file and the line. Nothing is stripped
silently: a refused element fails the build, so the editor knows.

How a refusal is found: the fragment is cleaned by nh3 with the allow-list
below, both versions are read with the standard library's HTML parser, and
every start tag or attribute present before and missing after is a refusal.
nh3 is the judge (it parses HTML as browsers do); this module only names what
it took away.

The allow-list: text structure (headings, lists, tables, quotes, code,
figures, emphasis), links and images with site-relative, ``http(s):``,
``mailto:`` or ``tel:`` addresses, and a few harmless attributes (``id``,
``class``, ``title``, ``lang``, ``dir`` everywhere). Refused: scripts and
event attributes (``onerror=``…), ``javascript:`` and ``data:`` addresses,
frames, embeds and players (``<iframe>``, ``<object>``, ``<embed>``,
``<video>``, ``<audio>``: videos, sounds and maps are plugins/media's
privacy-aware blocks, and the message says how to write one), forms, ``<style>`` and
``style=`` (the theme does the layout, and the Content-Security-Policy
forbids inline styles).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "bdi", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    # loading=, decoding=, srcset= and sizes=: set by plugins/images (responsive
    # derivatives), harmless if an editor writes them.
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"}, "time": {"datetime"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "td": {"colspan", "rowspan", "headers"}, "th": {"colspan", "rowspan", "headers", "scope"},
    "col": {"span"}, "colgroup": {"span"}, "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed with their content (the rest are unwrapped by nh3 but still refused here).
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "template", "noscript",
                                "textarea", "select"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "srcset", "poster"})
HELP = "voir « HTML autorisé » dans docs/guide-redaction.md"
# Videos, sounds, maps and other sites' players come from plugins/media's blocks.
MEDIA_TAGS = frozenset({"iframe", "object", "embed", "frame", "frameset", "video", "audio",
                        "source", "track"})
MEDIA_FIX = ("une vidéo, un son ou une carte s'écrit avec un bloc ```video, ```audio ou "
             "```carte, et une vidéo YouTube, Vimeo, Dailymotion ou PeerTube par son adresse "
             "seule sur une ligne : voir « Vidéos, sons et cartes » dans docs/guide-redaction.md")


@dataclass(frozen=True)
class Refusal:
    """One thing the sanitiser removed: a tag, or an attribute of a tag."""

    tag: str
    attribute: str | None = None
    value: str = ""

    @property
    def needle(self) -> str:
        """What to look for in the Markdown source to find the line."""
        if self.attribute is None:
            return "<" + self.tag
        if self.attribute in URL_ATTRIBUTES and self.value:
            return self.value
        return self.attribute

    def message(self) -> str:
        if self.attribute is None:
            if self.tag == "script":
                why = "aucun script dans le contenu"
            elif self.tag in MEDIA_TAGS:
                return f"la balise <{self.tag}> n'est pas autorisée ; {MEDIA_FIX}"
            elif self.tag == "style":
                why = "la mise en forme vient du thème"
            else:
                why = "retirez-la ou écrivez ce contenu en Markdown"
            return f"la balise <{self.tag}> n'est pas autorisée ({why} ; {HELP})"
        if self.attribute.startswith("on"):
            return (f"l'attribut {self.attribute}= de <{self.tag}> n'est pas autorisé "
                    f"(aucun script dans le contenu ; {HELP})")
        if self.attribute in URL_ATTRIBUTES and self.value:
            return (f"l'adresse « {shorten(self.value)} » de <{self.tag}> n'est pas autorisée "
                    "(seuls les liens du site et les adresses http:, https:, mailto: et tel: "
                    f"le sont ; {HELP})")
        if self.attribute == "style":
            return (f"l'attribut style= de <{self.tag}> n'est pas autorisé (la mise en forme "
                    "vient du thème ; pour un tableau, retirez les deux-points de la ligne "
                    f"de séparation ; {HELP})")
        return (f"l'attribut {self.attribute}= de <{self.tag}> n'est pas autorisé "
                f"(retirez-le ; {HELP})")


def images_without_alt(html: str) -> list[str]:
    """The src of each <img> that has no alt attribute (alt="" is a choice:
    a decorative image; no alt at all is an oversight screen readers spell out)."""
    if "<img" not in html.lower():
        return []
    found = []

    class _Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names = {name for name, _ in attrs}
            if tag == "img" and "alt" not in names:
                found.append(dict(attrs).get("src") or "")

        handle_startendtag = handle_starttag

    parser = _Images(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return found


def alt_message(src: str) -> str:
    return (f"image « {shorten(src)} » sans texte alternatif : ajoutez alt=\"ce que montre "
            "l'image\" dans la balise <img> (alt=\"\" si elle est purement décorative)")


def shorten(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit - 1] + "…"


class _Elements(HTMLParser):
    """Start tags and their attributes, in a Counter (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.attributes: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[(tag, name, (value or "").strip())] += 1

    handle_startendtag = handle_starttag


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def sanitise(html: str) -> str:
    """The fragment as the allow-list keeps it."""
    return nh3.clean(html, tags=set(TAGS), clean_content_tags=set(CLEAN_CONTENT_TAGS),
                     attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), strip_comments=False, link_rel=None)


def refusals(html: str) -> list[Refusal]:
    """What nh3 removes from ``html``, in document order, each named once."""
    if not html or "<" not in html:
        return []
    kept = sanitise(html)
    if kept == html:  # nothing removed (the usual case): no need to read either
        return []
    before, after = _elements(html), _elements(kept)
    lost_tags = before.tags - after.tags
    lost_attributes = before.attributes - after.attributes
    if not lost_tags and not lost_attributes:
        return []
    found: dict[Refusal, None] = {}
    order = _order(html)
    for tag in sorted(lost_tags, key=lambda t: order.get(("tag", t), 0)):
        found[Refusal(tag)] = None
    for tag, name, value in sorted(lost_attributes,
                                   key=lambda a: order.get(("attr", a[0], a[1]), 0)):
        if tag not in lost_tags:
            found[Refusal(tag, name, value if name in URL_ATTRIBUTES else "")] = None
    return list(found)


def _order(html: str) -> dict:
    """Position of the first occurrence of each tag and (tag, attribute)."""
    positions: dict = {}

    class _Order(HTMLParser):
        def handle_starttag(self, tag, attrs):
            positions.setdefault(("tag", tag), len(positions))
            for name, _value in attrs:
                positions.setdefault(("attr", tag, name), len(positions))

        handle_startendtag = handle_starttag

    parser = _Order(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return positions
