"""French typography for editors' text: pure functions, no Pelican.

The rules (the same as the interface's, see docs/guide-redaction.md):

* before ``;``, ``!`` and ``?``: a narrow no-break space (U+202F);
* before ``:``: a no-break space (U+00A0);
* inside guillemets: a no-break space after ``«`` and before ``»``.

Only spaces the editor typed are made unbreakable (``Budget 2014 :`` cannot
wrap with the colon starting the next line); none is added before ``; : ! ?``
where there was none, so that ``https://``, ``10:30``, ``?!`` or a name such
as ``Yahoo!`` stay as they are. Guillemets, used only in French, always get
their spaces.

``french_html`` applies them to the text of editor HTML and nowhere else: never
inside ``code``, ``pre``, ``kbd``, ``samp``, ``script``, ``style`` or
``textarea``, never in a tag or an attribute (links, image addresses), never
in a comment. The markup is written back as it came (end tags in lower case).

No library does exactly this: ``french-typo`` (PyPI) works on plain text only,
not HTML, and also rewrites units, ordinals and spacing; ``smartypants`` and
``typogrify`` follow English conventions.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space

# Whitespace an editor may have typed, as characters or as HTML entities.
_SPACE = r"(?:[ \t\n\u00a0\u202f]|&nbsp;|&#160;|&#xa0;|&#x202f;|&#8239;)"
_BEFORE_TIGHT = re.compile(_SPACE + r"+(?=[;!?])", re.IGNORECASE)
_BEFORE_COLON = re.compile(_SPACE + r"+(?=:)", re.IGNORECASE)
_AFTER_OPENING = re.compile(r"(«|&laquo;)" + _SPACE + r"*", re.IGNORECASE)
_BEFORE_CLOSING = re.compile(_SPACE + r"*(»|&raquo;)", re.IGNORECASE)
_START_OF_TEXT = re.compile(r"^\s")

#: Elements whose text is never changed (code and the like, scripts, forms).
VERBATIM = frozenset({"code", "pre", "kbd", "samp", "var", "tt", "script", "style",
                      "textarea"})


def french_text(text: str) -> str:
    """Plain text with French no-break spaces (see the module's rules)."""
    text = _BEFORE_TIGHT.sub(NNBSP, text)
    text = _BEFORE_COLON.sub(NBSP, text)
    text = _AFTER_OPENING.sub(lambda m: m[1] + NBSP, text)
    return _BEFORE_CLOSING.sub(lambda m: NBSP + m[1], text)


class _Typographer(HTMLParser):
    """Copies HTML through, passing the text outside VERBATIM elements to french_text."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.text: list[str] = []  # text since the last tag, raw (entities kept)
        self.verbatim: list[str] = []  # open VERBATIM elements

    def _flush(self):
        if self.text:
            raw = "".join(self.text)
            self.out.append(raw if self.verbatim else french_text(raw))
            self.text = []

    def _markup(self, raw: str):
        self._flush()
        self.out.append(raw)

    def handle_starttag(self, tag, attrs):
        self._markup(self.get_starttag_text())
        if tag in VERBATIM:
            self.verbatim.append(tag)

    def handle_startendtag(self, tag, attrs):
        self._markup(self.get_starttag_text())

    def handle_endtag(self, tag):
        self._markup(f"</{tag}>")
        if tag in self.verbatim:
            while self.verbatim and self.verbatim.pop() != tag:
                pass

    def handle_data(self, data):
        self.text.append(data)

    def handle_entityref(self, name):
        self.text.append(f"&{name};")

    def handle_charref(self, name):
        self.text.append(f"&#{name};")

    def handle_comment(self, data):
        self._markup(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._markup(f"<!{decl}>")

    def handle_pi(self, data):
        self._markup(f"<?{data}>")

    def unknown_decl(self, data):
        self._markup(f"<![{data}]>")

    def result(self) -> str:
        self.close()
        self._flush()
        return "".join(self.out)


def french_html(markup: str) -> str:
    """Editor HTML with French no-break spaces in its text (see the module's rules)."""
    if not markup:
        return markup
    parser = _Typographer()
    parser.feed(markup)
    return parser.result()
