"""Check a built site folder: every internal link, anchor, image, script,
style sheet and feed entry points to something that exists.

Pure over a folder (no Pelican): ``check_output(output, site_urls, ignore)``
returns the broken references; the plugin (``plugin.py``) runs it at the end
of every build, and ``python -m release`` runs it again on the release it is
about to switch to, unless the build's record (``record.py``) shows that the
build's run already covered exactly that folder with the same settings.

What is read:

* every ``.html`` file (except the search bundle): ``a[href]``, ``link[href]``,
  ``img[src|srcset]``, ``source[src|srcset]``, ``script[src]``, ``form[action]``,
  ``video|audio[src|poster]``; the ids of each page, for anchors;
* every Atom feed (``*.atom.xml``) and ``sitemap.xml``: entry links and
  ``<loc>`` addresses.

A reference is internal when it is relative, root-relative, or absolute on one
of ``site_urls`` (SITEURL, SITE_ABSOLUTE_URL). It must name a file of the
output (a folder stands for its ``index.html``), and its ``#anchor`` an id of
that page. Links (``<a>``) to other hosts are not fetched; any other resource
from another host is broken (the site makes no request to another host, and
the Content-Security-Policy would block it). An unresolved Pelican
placeholder (``{filename}…``) is broken. Paths under ``ignore`` (the comment
service's prefix) are served by something else and skipped.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser, endtagfind, starttagopen, tagfind_tolerant
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

REFERENCES = {
    "a": ("href",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "script": ("src",), "form": ("action",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "iframe": ("src",),
}
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:", "javascript:")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def missing_anchor(fragment: str, ids) -> str:
    """The reason for a missing anchor, with the fix: the page's closest ids."""
    import difflib

    close = difflib.get_close_matches(fragment, sorted(ids), n=3, cutoff=0.5)
    reason = f"la page existe mais n'a pas d'ancre « #{fragment} »"
    if close:
        reason += " ; ancres proches sur cette page : " + ", ".join(f"#{i}" for i in close)
    return reason + (" ; pour lier un intertitre, donnez-lui une ancre en fin de ligne "
                     f"(« ## Mon intertitre {{#{fragment}}} »)")


@dataclass(frozen=True)
class Broken:
    """A reference from ``page`` (output-relative) that leads nowhere."""

    page: str
    target: str
    kind: str  # "lien", "image", "ressource", "ancre", "flux"
    reason: str

    def message(self) -> str:
        return f"{self.kind} « {self.target} » : {self.reason}"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "link" and not {"stylesheet", "icon", "alternate", "canonical", "preload",
                                  "manifest", "prev", "next"} & set(
                                      (attrs.get("rel") or "").lower().split()):
            return
        for attribute in REFERENCES.get(tag, ()):
            value = (attrs.get(attribute) or "").strip()
            if not value:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((tag, attribute, candidate.split()[0]))
            else:
                self.refs.append((tag, attribute, value))

    handle_startendtag = handle_starttag

    def scan(self, text: str) -> None:
        """What ``feed(text)`` then ``close()`` report to ``handle_starttag``,
        faster: the same loop as ``HTMLParser.goahead`` over the same parsing
        methods, without the text between tags (unescaped, line-counted, then
        dropped by the base class). Anything left unfinished (a tag, comment
        or declaration cut by the end of the file) goes to ``goahead`` itself,
        as ``close()`` would."""
        self.rawdata = text
        n, i = len(text), 0
        while i < n:
            if self.cdata_elem:  # inside <script> or <style>: up to its end tag
                match = self.interesting.search(text, i)
                if not match:
                    break
                j = match.start()
            else:
                j = text.find("<", i)
                if j < 0:
                    break
            if starttagopen.match(text, j):
                k = self._start_tag(j)
            elif text.startswith("</", j):
                end = None if self.cdata_elem else endtagfind.match(text, j)
                # A plain end tag outside a script or style body: parse_endtag
                # would only step over it (to its first ">", where this ends).
                k = end.end() if end else self.parse_endtag(j)
            elif text.startswith("<!--", j):
                k = self.parse_comment(j)
            elif text.startswith("<?", j):
                k = self.parse_pi(j)
            elif text.startswith("<!", j):
                k = self.parse_html_declaration(j)
            elif j + 1 < n:
                k = j + 1
            else:
                break
            if k < 0:
                self.rawdata = text[j:]
                self.goahead(1)
                return
            i = k
        self.rawdata = ""

    def _start_tag(self, i: int) -> int:
        """``parse_starttag``, whose attributes are read only when they can
        matter: a tag that ``handle_starttag`` ignores (not a reference, no
        ``id``) and that starts no script or style body is only stepped over."""
        tag = tagfind_tolerant.match(self.rawdata, i + 1).group(1).lower()
        if tag in REFERENCES or tag in self.CDATA_CONTENT_ELEMENTS:
            return self.parse_starttag(i)
        end = self.check_for_whole_start_tag(i)
        if end < 0 or "id" in self.rawdata[i:end].lower():
            return self.parse_starttag(i)
        return end


@dataclass(frozen=True)
class Scan:
    """What a page holds for the check: its ids and references, with the
    digest of the bytes they were read from."""

    digest: str
    ids: set[str]
    refs: list[tuple[str, str, str]]


def scan_page(data: bytes) -> Scan:
    """The ids and references of a page's bytes (read as ``read_text`` would:
    UTF-8 with replacement, universal newlines)."""
    parser = _Page()
    parser.scan(data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n"))
    return Scan(page_digest(data), parser.ids, parser.refs)


def page_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class Site:
    """The output folder, with each page's ids read once. ``known`` (by
    output-relative path): scans made earlier (while the build wrote the
    pages, ``prescan.py``); one is used only if the page still has the very
    bytes it was made from, else the page is read again."""

    def __init__(self, output: Path, site_urls, ignore=(), known=None):
        self.output = Path(output).resolve()
        self.site_urls = sorted({u.rstrip("/") for u in site_urls if u}, key=len, reverse=True)
        self.ignore = tuple(p for p in ignore if p)
        self._pages: dict[Path, Scan] = {}
        self._known: dict[str, Scan] = known or {}
        self._targets: dict[str, Path | None] = {}
        self._tree: tuple[set[str], set[str], set[str]] | None = None
        self._verdicts: dict[tuple, tuple[str, str] | None] = {}

    def page(self, path: Path) -> Scan:
        """The page's references and ids, each page read once."""
        if path not in self._pages:
            data = path.read_bytes()
            known = self._known.get(path.relative_to(self.output).as_posix())
            if known is None or known.digest != page_digest(data):
                known = scan_page(data)
            self._pages[path] = known
        return self._pages[path]

    def ids(self, path: Path) -> set[str]:
        return self.page(path).ids

    def local_path(self, ref: str, base: str) -> str | None:
        """The root-relative path of an internal reference, or None (external)."""
        for url in self.site_urls:
            if ref == url or ref.startswith(url + "/") or ref.startswith(url + "#"):
                return "/" + ref[len(url):].lstrip("/")
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            return None
        if ref.startswith("/"):
            return ref
        return str(PurePosixPath(base).parent / ref) if not ref.startswith("#") else base + ref

    def target_file(self, path: str) -> Path | None:
        """The output file ``path`` names, or None; each distinct path is
        resolved once (a site's pages share most of their targets)."""
        rel = unquote(urlsplit(path).path).lstrip("/")
        if rel not in self._targets:
            self._targets[rel] = self._resolve(rel)
        return self._targets[rel]

    def _resolve(self, rel: str) -> Path | None:
        found = self._listed(rel)
        return self._resolve_on_disk(rel) if found is False else found

    def _listed(self, rel: str) -> Path | None | bool:
        """``_resolve`` from one listing of the folder (no system call per
        path), for a plain path (no ``.``, ``..`` or empty part) under real
        folders, where ``resolve()`` changes nothing. False: ask the disk
        (a symbolic link or anything unusual on the way)."""
        key = rel[:-1] if rel.endswith("/") else rel
        if not key or key != posixpath.normpath(key):
            return False
        if self._tree is None:
            self._tree = _real_tree(self.output)
        files, folders, others = self._tree
        if key in folders:
            key += "/index.html"
        if key in files:
            return self.output / key
        if key in others or posixpath.dirname(key) not in folders:
            return False
        return None  # not in a folder listed whole

    def _resolve_on_disk(self, rel: str) -> Path | None:
        candidate = (self.output / rel).resolve()
        try:
            candidate.relative_to(self.output)
        except ValueError:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def judge(self, page: str, tag: str, ref: str) -> Broken | None:
        """The reference ``ref`` of ``page`` if it is broken. The verdict of a
        root-relative or absolute reference does not depend on the page: it
        is found once per check (most pages share their menus and assets)."""
        key = (tag, ref, None if ref.startswith("/") else page)
        if key not in self._verdicts:
            self._verdicts[key] = self._verdict(page, tag, ref)
        found = self._verdicts[key]
        return None if found is None else Broken(page, ref, *found)

    def _verdict(self, page: str, tag: str, ref: str) -> tuple[str, str] | None:
        """(kind, reason) of a broken reference, None for a good one."""
        kind = {"a": "lien", "img": "image", "source": "image"}.get(tag, "ressource")
        if ref.startswith("{") or "%7B" in ref[:12]:
            return kind, ("lien Pelican non résolu (le fichier visé n'existe "
                          "pas ou n'est pas publié)")
        if ref.lower().startswith(SKIPPED_SCHEMES):
            return None
        local = self.local_path(ref, "/" + page)
        if local is None:
            if tag == "a" or (tag == "form"):
                return None
            return kind, ("ressource d'un autre site (le site ne fait "
                          "aucune requête vers un autre site)")
        path = urlsplit(local).path
        if any(path == p.rstrip("/") or path.startswith(p.rstrip("/") + "/") for p in self.ignore):
            return None
        target = self.target_file(local)
        if target is None:
            return kind, "cette adresse n'existe pas dans le site construit"
        fragment = unquote(urlsplit(local).fragment)
        if fragment and target.suffix == ".html" and fragment not in self.ids(target):
            return "ancre", missing_anchor(fragment, self.ids(target))
        return None


def _real_tree(output: Path) -> tuple[set[str], set[str], set[str]]:
    """Output-relative paths of the regular files and the real folders under
    ``output`` ("" for itself), and of every other entry (symbolic links...)."""
    files, folders, others = set(), {""}, set()
    pending = [("", str(output))]
    while pending:
        prefix, top = pending.pop()
        with os.scandir(top) as scan:
            for entry in scan:
                name = prefix + entry.name
                if entry.is_symlink():
                    others.add(name)
                elif entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append((name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files.add(name)
                else:
                    others.add(name)
    return files, folders, others


def _feed_refs(path: Path) -> list[str]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return ["(flux illisible)"]
    refs = [link.get("href", "") for link in root.iter(ATOM + "link")]
    refs += [(loc.text or "").strip() for loc in root.iter(SITEMAP + "loc")]
    return [r for r in refs if r]


def check_output(output, site_urls=(), ignore=(), skip_dirs=("pagefind",),
                 skip_pages=(), known=None) -> list[Broken]:
    """Every broken reference of the built site in ``output``, page by page.
    ``skip_pages`` (output-relative) are not read as sources (links *to*
    them are still checked); the build skips none, draft previews included.
    ``known``: earlier scans of pages (``Site``), used only where the bytes
    are the same: the result is the same with or without them."""
    site = Site(Path(output), site_urls, ignore, known)
    skip_pages = set(skip_pages)
    broken: list[Broken] = []
    skipped = {site.output / d for d in skip_dirs}
    for path in sorted(site.output.rglob("*")):
        if not path.is_file() or any(s in path.parents for s in skipped):
            continue
        page = path.relative_to(site.output).as_posix()
        if page in skip_pages:
            continue
        if path.suffix == ".html":
            for tag, _attribute, ref in site.page(path).refs:
                found = site.judge(page, tag, ref)
                if found:
                    broken.append(found)
        elif path.name.endswith(".atom.xml") or path.name == "sitemap.xml":
            for ref in _feed_refs(path):
                found = site.judge(page, "a", ref)
                if found:
                    broken.append(Broken(page, ref, "flux", found.reason))
    return broken
