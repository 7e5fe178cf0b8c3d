"""Python-Markdown extension: what editors write, read as they meant it.

Registered in ``MARKDOWN["extensions"]`` (pelicanconf.py) as
``editorial.mdext``. Line rules run after fenced code is set aside (code is
never touched) and before raw HTML blocks are read:

* Word bullets: a line starting with « • », « ◦ », « ▪ », « · » or « – »
  followed by a space is a list item (``- ``);
* a list written right after a paragraph line (no blank line) is a list,
  as CommonMark reads it (a blank line is inserted before it);
* sub-lists indented by 2 or 3 spaces are nested (Python-Markdown needs 4):
  each deeper indentation of a list becomes one more level of 4 spaces;
* Markdown inside a block ``<div>``, ``<figure>``, ``<aside>``,
  ``<section>`` or ``<details>`` is rendered (``md_in_html``, with its
  ``{filename}`` links checked like the others).

After rendering, HTML comments (``<!-- note interne -->``) are removed from
the output: internal notes never reach a page, a feed or a summary. An
unclosed comment is refused by the body checks (``body.py``).
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

WORD_BULLET_RE = re.compile(r"^(?P<indent> {0,12})[•◦▪·–](?:[ \t\u00a0]+)(?P<text>\S.*)$")
ITEM_RE = re.compile(r"^(?P<indent> *)(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
BLOCK_OPEN_RE = re.compile(r"^(?P<open><(?:div|figure|aside|section|details)\b)(?P<rest>[^>]*>)",
                           re.IGNORECASE)
COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
# Python-Markdown's placeholders for stashed blocks (fenced code).
STASH_RE = re.compile(r"^\u0002wzxhzdk:\d+\u0003$")


def word_bullets(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        match = WORD_BULLET_RE.match(line)
        out.append(f"{match['indent']}- {match['text']}" if match else line)
    return out


def _starts_list(line: str, in_list: bool) -> bool:
    """A list item line; outside a list, an ordered one interrupts a paragraph
    only when it starts at 1 (CommonMark)."""
    match = ITEM_RE.match(line)
    if not match or (len(match["indent"]) >= 4 and not in_list):
        return False
    marker = line.lstrip(" ")[0]
    return in_list or not marker.isdigit() or re.match(r"^ *1[.)]", line) is not None


def _paragraph_line(line: str) -> bool:
    return bool(line.strip()) and not line.startswith(("    ", "#", "<", "|", ">")) \
        and not STASH_RE.match(line)


def lists_after_paragraphs(lines: list[str]) -> list[str]:
    """A blank line before a list item that follows a paragraph line."""
    out: list[str] = []
    in_list = False
    for line in lines:
        if _starts_list(line, in_list):
            if not in_list and out and _paragraph_line(out[-1]):
                out.append("")
            in_list = True
        elif line.strip() and not line.startswith(" ") and out and not out[-1].strip():
            in_list = False  # a paragraph after a blank line: the list is over
        out.append(line)
    return out


def nested_lists(lines: list[str]) -> list[str]:
    """Each deeper indentation of list items inside a list: one more 4-space level."""
    out: list[str] = []
    stack: list[int] = []  # indentations of the open list levels
    shift = 0  # what the last item's indentation became, minus what it was
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if ITEM_RE.match(line) and (stack or indent < 4):
            while stack and stack[-1] > indent:
                stack.pop()
            if not stack or indent > stack[-1]:
                stack.append(indent)
            shift = 4 * (len(stack) - 1) - indent
            out.append(" " * (indent + shift) + line[indent:])
            continue
        if line.strip() and indent == 0 and out and not out[-1].strip():
            stack, shift = [], 0  # a paragraph after a blank line: the list is over
        out.append(" " * (indent + shift) + line[indent:] if stack and indent and line.strip()
                   else line)
    return out


def markdown_in_blocks(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        match = BLOCK_OPEN_RE.match(line)
        if match and "markdown=" not in match["rest"].lower():
            line = f'{match["open"]} markdown="1"{match["rest"]}{line[match.end():]}'
        out.append(line)
    return out


class EditorLines(Preprocessor):
    def run(self, lines):
        return markdown_in_blocks(nested_lists(lists_after_paragraphs(word_bullets(lines))))


class StripComments(Postprocessor):
    def run(self, text):
        return COMMENT_RE.sub("", text) if "<!--" in text else text


class EditorialExtension(Extension):
    def extendMarkdown(self, md):
        # After normalize_whitespace (30) and fenced code (25), before raw HTML (20).
        md.preprocessors.register(EditorLines(md), "editorial_lines", 22)
        # After raw HTML is put back (30).
        md.postprocessors.register(StripComments(md), "editorial_comments", 25)


def makeExtension(**kwargs):
    return EditorialExtension(**kwargs)
