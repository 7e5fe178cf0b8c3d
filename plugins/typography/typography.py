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
in a comment: the markup is copied byte for byte, only the text between tags
changes. A small tokenizer (a regular expression for tags, comments and
declarations, quoted attribute values included) is enough for the HTML that
Markdown writes, and keeps every byte of it.

No library does exactly this: ``french-typo`` (PyPI) works on plain text only,
not HTML, and also rewrites units, ordinals and spacing; ``smartypants`` and
``typogrify`` follow English conventions.
"""

from __future__ import annotations

import re

from sitekit import html_to_text

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space

# Whitespace an editor may have typed, as characters or as HTML entities.
_SPACE = r"(?:[ \t\n\u00a0\u202f]|&nbsp;|&#160;|&#xa0;|&#x202f;|&#8239;)"
_BEFORE_TIGHT = re.compile(_SPACE + r"+(?=[;!?])", re.IGNORECASE)
_BEFORE_COLON = re.compile(_SPACE + r"+(?=:)", re.IGNORECASE)
_AFTER_OPENING = re.compile(r"(«|&laquo;)" + _SPACE + r"*", re.IGNORECASE)
_BEFORE_CLOSING = re.compile(_SPACE + r"*(»|&raquo;)", re.IGNORECASE)
_START_OF_TEXT = re.compile(r"^\s")
# A character every rule needs ("&" starts the entities): text without any is unchanged.
_ANY_RULE = re.compile(r"[;!?:«»&]")

#: Elements whose text is never changed (code and the like, scripts, forms).
VERBATIM = frozenset({"code", "pre", "kbd", "samp", "var", "tt", "script", "style",
                      "textarea"})


def french_text(text: str) -> str:
    """Plain text with French no-break spaces (see the module's rules)."""
    if not _ANY_RULE.search(text):
        return text
    text = _BEFORE_TIGHT.sub(NNBSP, text)
    text = _BEFORE_COLON.sub(NBSP, text)
    text = _AFTER_OPENING.sub(lambda m: m[1] + NBSP, text)
    return _BEFORE_CLOSING.sub(lambda m: NBSP + m[1], text)


# Markup, copied as it is: comments, declarations, and tags (quoted attribute
# values may hold ">"). A "<" not followed by a tag name is text.
_MARKUP = re.compile(r"""<!--.*?-->|<![^>]*>|<\?[^>]*>|</?[a-zA-Z][^\s/>]*"""
                     r"""(?:[^>"']|"[^"]*"|'[^']*')*>""", re.DOTALL)
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)")


def french_html(markup: str) -> str:
    """Editor HTML with French no-break spaces in its text (see the module's rules).

    Every tag, attribute and comment is copied byte for byte; only the text
    between them outside VERBATIM elements goes through ``french_text``."""
    if not markup:
        return markup
    out: list[str] = []
    verbatim: list[str] = []  # open VERBATIM elements
    position = 0
    for match in _MARKUP.finditer(markup):
        text = markup[position:match.start()]
        out.append(text if verbatim else french_text(text))
        out.append(match[0])
        position = match.end()
        name = _TAG_NAME.match(match[0])
        if name is None:
            continue
        closing, tag = name[1] == "/", name[2].lower()
        if tag in VERBATIM and not closing and not match[0].endswith("/>"):
            verbatim.append(tag)
        elif closing and tag in verbatim:
            while verbatim.pop() != tag:
                pass
    tail = markup[position:]
    out.append(tail if verbatim else french_text(tail))
    return "".join(out)


def plain_text(markup: str) -> str:
    """Editor HTML as one line of text for a description, its no-break spaces
    kept (Jinja's ``striptags`` turns them into ordinary spaces)."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", html_to_text(markup or "")).strip()
