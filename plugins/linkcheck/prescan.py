"""Read the pages for the link check while the build writes them.

Reading the pages is most of the check's work (1,700 pages at 1,000
articles). A second process (this file run as a script: the standard library
and ``check.py`` only) is told each page as soon as Pelican has written it
(``content_written``), reads it on the second core while Python renders the
next ones, and hands back its scans when the check starts (``results``). The
check uses a scan only where the page still has the very bytes it was made
from (``check.Site``): a page written again, or one the process could not
read, is read by the check itself. The process is an accelerator, never a
source of truth: if it fails, the check reads every page as before.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

if __package__:
    from .check import Scan, scan_page
else:  # the process itself: ``python prescan.py``
    from check import Scan, scan_page  # type: ignore[no-redef]


class Prescan:
    """The second process of one build, writing into ``output``."""

    def __init__(self, output: str | Path):
        self.output = Path(output).resolve()
        self.process: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-S", os.path.abspath(__file__)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd=os.path.dirname(os.path.abspath(__file__)))

    def add(self, path: str) -> None:
        """A page written by the build (other files are read by the check)."""
        if self.process is None or not path.endswith(".html"):
            return
        try:
            self.process.stdin.write(os.fsencode(os.path.abspath(path)) + b"\0")
        except OSError:  # the process is gone: the check reads every page
            self._stop()

    def results(self) -> dict[str, Scan]:
        """The scans made so far, by output-relative path; the process ends."""
        if self.process is None:
            return {}
        try:
            self.process.stdin.close()
            data = self.process.stdout.read()
            found = pickle.loads(data) if self.process.wait() == 0 else {}
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            found = {}
        finally:
            self._stop()
        scans = {}
        for path, (digest, ids, refs) in found.items():
            try:
                rel = Path(path).relative_to(self.output).as_posix()
            except ValueError:
                continue
            scans[rel] = Scan(digest, ids, refs)
        return scans

    def _stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()


def serve(stdin, stdout) -> None:
    """The process: NUL-separated paths in; at the end of its input, the
    pickled scans (plain tuples) out."""
    scans, pending = {}, b""
    while chunk := stdin.read1(1 << 16):
        *paths, pending = (pending + chunk).split(b"\0")
        for raw in paths:
            try:
                scan = scan_page(Path(os.fsdecode(raw)).read_bytes())
            except OSError:
                continue
            scans[os.fsdecode(raw)] = (scan.digest, scan.ids, scan.refs)
    pickle.dump(scans, stdout, protocol=pickle.HIGHEST_PROTOCOL)
    stdout.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
