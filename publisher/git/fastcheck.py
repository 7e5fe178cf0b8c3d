"""``pre-receive``'s fast check: the running publisher judges the push.

When the pushed commit only changes content files the publisher already
publishes (Markdown files modified in place, from the commit its checkout
is at), their new bytes are sent to the running publisher
(``publisher/checksocket.py``), which checks them against its kept build as
its fast path would publish them (``publisher/precheck.py``): a second or
less instead of a full build. Anything else (a file added, removed or not
Markdown, more than ``MAX_FILES`` files, the checkout elsewhere, no
publisher answering in time, mode ``release``) returns False: the hook's
full check in a scratch folder (``hooks.check_commit``) decides.
"""

from __future__ import annotations

from release import BuildFailed

from .repo import git, is_zero

REGULAR = ("100644", "100755")  # git's modes of a regular file


def content_changes(site, old: str, new: str) -> list[str] | None:
    """Paths (from the repository's root) of the content files modified from
    ``old`` to ``new``; None when a change is not a modification of a
    regular Markdown file (added, removed, renamed, a link, a mode changed)."""
    out = git(site.bare, "diff", "--raw", "-z", "--no-renames", "--no-abbrev", old, new,
              "--", site.content, keep_quarantine=True)
    fields = [f for f in out.split("\x00") if f]
    if len(fields) % 2:
        return None
    paths = []
    for raw, path in zip(fields[::2], fields[1::2]):
        parts = raw.lstrip(":").split()
        if len(parts) != 5 or parts[4] != "M" or parts[0] != parts[1] \
                or parts[0] not in REGULAR or not path.endswith(".md"):
            return None
        paths.append(path)
    return paths


def fast_check(site, old: str, new: str) -> bool:
    """True: the running publisher found no mistake; BuildFailed: it refused
    with its French report; False: check cold."""
    from ..checksocket import MAX_FILES, OK, REFUSED, ask

    if site.mode != "publisher" or is_zero(old):
        return False
    head = git(site.checkout, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip()
    if head != old:
        return False  # the publisher's content is not the commit this push starts from
    paths = content_changes(site, old, new)
    if paths is None or len(paths) > MAX_FILES:
        return False
    prefix = site.content.rstrip("/") + "/"
    files = {path[len(prefix):]: git(site.bare, "cat-file", "blob", f"{new}:{path}",
                                     keep_quarantine=True, binary=True) for path in paths}
    if not files:
        return True  # no content file changed: the publisher's content is already this one
    answer = ask(site.site_root(), files)
    if answer is None or answer[0] not in (OK, REFUSED):
        return False
    if answer[0] == REFUSED:
        raise BuildFailed(answer[1])
    return True
