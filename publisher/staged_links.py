"""The link check of the pages a body edit re-rendered, before they go live.

A full build checks every link of its output (plugins/linkcheck). A body
edit re-renders a few pages into a staging folder; their links are checked
the same way, against the served release with the staged pages in place of
their served copies (an anchor added by the edit counts). A broken link
refuses the publication with the link check's French lines.
"""

from __future__ import annotations

from pathlib import Path

from release import BuildFailed


def broken_links(settings, staged: Path, served: Path, sources: dict[str, str]) -> list[str]:
    """The link check's report lines for the staged HTML pages (empty: all good).
    ``sources``: output path -> source file, for the report."""
    from linkcheck import Site, describe, ignored_prefixes, own_urls, scan_page

    fresh_scans: dict[Path, object] = {}

    class StagedSite(Site):
        def page(self, path: Path):
            fresh = staged / path.relative_to(self.output)
            if not fresh.is_file():
                return super().page(path)
            if fresh not in fresh_scans:
                fresh_scans[fresh] = scan_page(fresh.read_bytes())
            return fresh_scans[fresh]

    if not settings.get("LINKCHECK", True):
        return []
    site_urls = own_urls(settings)
    site = StagedSite(served, site_urls, ignored_prefixes(settings))
    lines = []
    for path in sorted(staged.rglob("*.html")):
        page = path.relative_to(staged).as_posix()
        for tag, _attribute, ref in site.page(site.output / page).refs:
            found = site.judge(page, tag, ref)
            if found:
                lines.append(describe(settings, found, sources))
    return lines


def check(settings, staged: Path, served: Path, sources: dict[str, str]) -> None:
    lines = broken_links(settings, staged, served, sources)
    if lines:
        noun = "lien cassé" if len(lines) == 1 else "liens cassés"
        raise BuildFailed(f"{len(lines)} {noun} dans les pages modifiées ; rien n'a été "
                          "publié :\n" + "\n".join(lines))
