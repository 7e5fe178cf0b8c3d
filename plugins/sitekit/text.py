"""Text, JSON and address helpers shared by the plugins (see ``__init__``)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

LINK_PREFIX_RE = re.compile(r"^\{(static|attach|filename)\}")


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
              "blockquote", "table", "tr", "figure", "section", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of editor HTML, paragraphs kept apart (iCalendar DESCRIPTION)."""
    parser = _TextExtractor()
    parser.feed(markup or "")
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def script_safe_json(data) -> str:
    """JSON that cannot close or confuse a <script> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def absolute_base(settings) -> str:
    """The site's absolute address, no final slash ("" when neither setting is set)."""
    return (settings.get("SITE_ABSOLUTE_URL") or settings.get("SITEURL") or "").rstrip("/")


def content_link(value: str) -> str:
    """'{static}/images/a.png' -> '/images/a.png' (other links unchanged)."""
    return LINK_PREFIX_RE.sub("", str(value).strip())
