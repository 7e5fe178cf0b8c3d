"""Publisher benchmark: approval and edit to visible page, over HTTP.

One command:  nice .venv/bin/python benchmarks/bench_publish.py [--sizes 1000 5000] [--approvals 12]

For each size it generates N synthetic articles (benchmarks/bench_build.py's
generator), starts the real publisher (``python -m publisher``, production
settings, search and link check on) on a private SITE_ROOT, serves
``SITE_ROOT/current`` over HTTP (the launcher's static server, resolving the
link per request like nginx), then measures, in the same run:

* the publisher's first (cold) publication;
* approval to visible: a comment is approved through the store's API, the
  article's page is fetched every 20 ms until the comment is in it
  (p50 / p95 over --approvals approvals);
* an editor's change to one article's body, to visible (the edited file
  read again into the publisher's page data, its page re-rendered; the
  publisher's own lines show what it did, and how long the search index
  took to follow);
* baselines: bare Pelican (no theme, no plugins) on the same content, a cold
  build and a rebuild after editing one article with its cache on;
* what the other way of publishing a comment would cost: a new release of
  hard links to every file of the served one (linking the tree alone);
* the publisher's resident memory (VmRSS, and its peak VmHWM).

Figures, not tests. The 5,000-article run takes several minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import bare, make_content, touch_one  # noqa: E402

#: In the publisher's output: a publication after an edit (the search index, or a full release).
FOLLOW_UP = "index de recherche à jour"
FULL = "nouvelle release"

SETTINGS = """from publishconf import *  # noqa
COMMENTS_STORE = {store!r}
THEME = {root!r} + "/theme"
PLUGIN_PATHS = [{root!r} + "/plugins"]
"""


def serve(root: Path):
    from wsgiref.simple_server import make_server

    from comment_service.web.devhttp import QuietHandler, ThreadingWSGIServer
    from devserver import StaticSite

    server = make_server("127.0.0.1", 0, StaticSite(root / "current"),
                         server_class=ThreadingWSGIServer,
                         handler_class=QuietHandler.with_logger("bench"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def wait_visible(url: str, needle: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                if needle.encode() in answer.read():
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"not visible after {timeout} s: {needle!r} at {url}")


def memory(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024  # MiB
    return fields


def hardlink_release(current: Path, dest: Path) -> tuple[float, int]:
    """Option B's fixed cost: a new release made of hard links to every file."""
    started, count = time.perf_counter(), 0
    for folder, _dirs, files in os.walk(current):
        target = dest / Path(folder).relative_to(current)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.link(os.path.join(folder, name), target / name)
            count += 1
    return time.perf_counter() - started, count


def approvals(store, threads: dict, base: str, count: int) -> list[float]:
    slugs = sorted(threads)
    times = []
    for i in range(count):
        slug = slugs[(i * 37) % len(slugs)]
        text = f"Avis de mesure {i} {time.time_ns()}"
        comment = store.add(slug, "Banc d'essai", "", text)
        started = time.perf_counter()
        store.move(comment.id, "approved")
        wait_visible(base + threads[slug]["url"], text)
        times.append(time.perf_counter() - started)
        time.sleep(0.3)
    return times


def follow_ups(log: Path) -> int:
    text = log.read_text(encoding="utf-8", errors="replace")
    return text.count(FOLLOW_UP) + text.count(FULL)


def edits(content: Path, threads: dict, base: str, count: int, log: Path) -> list[float]:
    """After each edit is visible, wait for the publication that follows it
    (the search index, or a full release if the fast path was refused), so
    that the next edit is measured on an idle publisher."""
    sources = sorted((content / "articles").glob("*.md"))
    times = []
    for i in range(count):
        source = sources[(i * 101 + 7) % len(sources)]
        sentence = f"Phrase ajoutée par la rédaction {time.time_ns()}."
        text = source.read_text(encoding="utf-8")
        number = int(source.stem[1:])  # a00042.md is titled "Actualité 42 : ..."
        url = next(v["url"] for slug, v in threads.items()
                   if slug.startswith(f"actualite-{number}-"))
        followed = follow_ups(log)
        started = time.perf_counter()
        source.write_text(text + f"\n{sentence}\n", encoding="utf-8")
        wait_visible(base + url, sentence)
        times.append(time.perf_counter() - started)
        deadline = time.monotonic() + 600
        while follow_ups(log) <= followed and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
    return times


def start_publisher(work: Path, content: Path, root: Path) -> tuple[subprocess.Popen, float]:
    settings = work / "benchconf.py"
    settings.write_text(SETTINGS.format(store=str(work / "store"), root=str(ROOT)), encoding="utf-8")
    log = open(work / "publisher.log", "w")
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "publisher", "--settings", str(settings),
                              "--root", str(root), "--content", str(content), "--keep", "2"],
                             cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                             env=dict(os.environ, PYTHONHASHSEED="0"))
    status = root / ".publisher-status"
    while not (root / "current").exists():
        refused = status.exists() and status.read_text().startswith("refused")
        if child.poll() is not None or refused:
            child.terminate()
            raise SystemExit("the publisher stopped:\n" + (work / "publisher.log").read_text())
        time.sleep(0.1)
    return child, time.perf_counter() - started


def run(size: int, count: int, work: Path) -> dict:
    from comment_service.store import CommentStore

    content, root = work / f"content-{size}", work / f"site-{size}"
    make_content(content, size)
    r = {"bare_cold": bare(work, content, work / "bare-out", False, work / "bare-c0")}
    bare(work, content, work / "bare-out2", True, work / "bare-c1")
    touch_one(content)
    r["bare_rebuild"] = bare(work, content, work / "bare-out2", True, work / "bare-c1")
    # Then the site's own pages (bare Pelican's theme has no 404 template): the
    # comment form links the charter and the privacy page, and a release must
    # have its 404 page (the release checks and the link check run here).
    shutil.rmtree(content / "pages")
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    child, r["first"] = start_publisher(work, content, root)
    server, base = serve(root)
    try:
        time.sleep(2.0)  # the watcher is ready
        threads = json.loads((root / "current" / "comment-threads.json").read_text())["threads"]
        r["approve"] = approvals(CommentStore(work / "store"), threads, base, count)
        r["edit"] = edits(content, threads, base, 3, work / "publisher.log")
        r["link"], r["files"] = hardlink_release(root / "current", work / f"linked-{size}")
        r["mem"] = memory(child.pid)
    finally:
        server.shutdown()
        child.terminate()
        child.wait(30)
    # What the publisher did for each edit (its own lines): the fast path or a full release.
    log = (work / "publisher.log").read_text(encoding="utf-8", errors="replace").splitlines()
    r["log"] = [line for line in log
                if ("publié en" in line and "fil(s) de commentaires" not in line) or "refus" in line]
    return r


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(size: int, r: dict) -> None:
    a, e = r["approve"], r["edit"]
    print(f"\n{size} articles ({r['files']} files in a release)")
    print(f"  bare Pelican: cold build {r['bare_cold']:.2f} s, rebuild after one edit "
          f"(cache on) {r['bare_rebuild']:.2f} s")
    print(f"  publisher, first publication (cold, search + checks): {r['first']:.2f} s "
          f"({r['first'] / r['bare_cold']:.2f} x bare cold)")
    print(f"  approval -> visible over HTTP ({len(a)}): p50 {statistics.median(a):.2f} s, "
          f"p95 {pct(a, 0.95):.2f} s, max {max(a):.2f} s (aim <= 2 s)")
    print(f"  edit of one body -> visible ({len(e)}): " + ", ".join(f"{t:.2f} s" for t in e)
          + f"; median {statistics.median(e) / r['bare_rebuild']:.2f} x bare rebuild (aim <= 2 s)")
    for line in r["log"]:
        print(f"    {line}")
    print(f"  a release of hard links to every file (the alternative): {r['link']:.2f} s")
    print(f"  publisher memory: VmRSS {r['mem'].get('VmRSS', 0):.0f} MiB, "
          f"peak VmHWM {r['mem'].get('VmHWM', 0):.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--approvals", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        for size in args.sizes:
            work = Path(tmp) / str(size)
            work.mkdir()
            report(size, run(size, args.approvals, work))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
