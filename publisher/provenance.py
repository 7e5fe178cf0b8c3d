"""What the long-running publisher writes in the journal (``journal.py``).

When the content folder is in a git checkout (the server's, moved by the
``post-receive`` hook: ``publisher/git``), each publication of content names
the commit it published, its author and subject, and the content files
changed since the last journaled commit (or, without git, the files the
publisher saw change).
"""

from __future__ import annotations

from pathlib import Path

from . import journal
from .git.repo import GitError, changed_files, commit_info, git

#: The kinds of publication that are the editors' (comments and the search
#: index follow the moderators and the edits: not journaled).
JOURNALED = ("full", "edit")


class Provenance:
    def __init__(self, root: Path, content: Path):
        self.root, self.content = Path(root), Path(content)
        try:
            self.top = Path(git(self.content, "rev-parse", "--show-toplevel").strip())
        except (GitError, OSError):
            self.top = None
        self.last = next((e["commit"] for e in journal.read_last(self.root)
                          if e.get("outcome") == "published" and e.get("commit")), "")

    def _fields(self, edited) -> dict:
        files = set()
        for path in edited:
            try:
                files.add(Path(path).resolve().relative_to(self.top or self.content.parent)
                          .as_posix())
            except ValueError:
                files.add(str(path))
        if self.top is None:
            return {"files": files}
        try:
            info = commit_info(self.top)
        except GitError:
            return {"files": files}
        if info.sha and info.sha != self.last:
            prefix = self.content.resolve().relative_to(self.top).as_posix() + "/"
            files |= {f for f in changed_files(self.top, self.last or None, info.sha)
                      if f.startswith(prefix)} if self.last else set()
        return {"commit": info.sha, "author": info.author, "subject": info.subject,
                "files": files}

    def published(self, kind: str, release: str, edited=()) -> None:
        if kind not in JOURNALED:
            return
        fields = self._fields(edited)
        journal.record(self.root, "published", kind, release=release, **fields)
        self.last = fields.get("commit") or self.last

    def refused(self, kind: str, report: str, edited=()) -> None:
        journal.record(self.root, "refused", kind, report=report, **self._fields(edited))
