"""From an editor's push to the live site, hooks included.

One command:  nice .venv/bin/python benchmarks/bench_git.py [--sizes 1000 5000] [--pushes 3]

For each size: N synthetic articles (benchmarks/bench_build.py's generator)
pushed to a bare repository, whose hooks are then installed by
``python -m publisher.git install`` (mode publisher); the real publisher
(``python -m publisher``, production settings) watches the server's checkout;
``SITE_ROOT/current`` is served over HTTP (benchmarks/bench_publish.py's
server). Measured, for a push of one edited article (one sentence added to
its body) and for a push with a mistake (a French date):

* push -> visible: from ``git push`` to the sentence served over HTTP
  (``pre-receive``'s check, ``post-receive`` moving the checkout, the
  publisher's fast path);
* push -> refusal: until git returns with the French report.

Each twice: with the running publisher checking the push against its kept
build (``publisher/precheck.py``), and the baseline, the cold check
(``pre-receive`` builds the pushed content in a scratch folder), which the
hook falls back to when the publisher's socket is absent (here: moved aside
for the baseline's pushes). The ratio is baseline / fast (medians).

Figures, not tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_build import make_content  # noqa: E402
from bench_publish import SETTINGS, serve, start_publisher, wait_visible  # noqa: E402


def git(cwd: Path, *args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr}")
    return done


def article_url(root: Path, number: int) -> str:
    import json

    threads = json.loads((root / "current" / "comment-threads.json").read_text())["threads"]
    return next(v["url"] for slug, v in threads.items() if slug.startswith(f"actualite-{number}-"))


INDEXED = "index de recherche à jour"  # the publisher's line after an edit's search index


def push_edit(repo: Path, root: Path, base: str, env: dict, number: int, label: str) -> float:
    """Push a sentence added to article ``number``; seconds until it is served.
    Then wait for the search index that follows, so that the next push finds
    the publisher idle (a push during it waits for it: a few seconds)."""
    log = root.parent / "publisher.log"
    indexed = log.read_text(encoding="utf-8").count(INDEXED)
    source = repo / "content" / "articles" / f"a{number:05d}.md"
    sentence = f"Phrase poussée par la rédaction {label} {time.time_ns()}."
    source.write_text(source.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"Phrase {label}", env=env)
    url = base + article_url(root, number)
    started = time.perf_counter()
    git(repo, "push", "-q", "origin", "main", env=env)
    wait_visible(url, sentence)
    seconds = time.perf_counter() - started
    deadline = time.monotonic() + 600
    while log.read_text(encoding="utf-8").count(INDEXED) <= indexed and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    return seconds


def push_mistake(repo: Path, env: dict, number: int) -> float:
    """Push a French date in article ``number``; seconds until git returns refused."""
    source = repo / "content" / "articles" / f"a{number:05d}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Date: ", "Date: 1/", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Date fausse", env=env)
    started = time.perf_counter()
    done = git(repo, "push", "origin", "main", env=env, check=False)
    seconds = time.perf_counter() - started
    assert done.returncode != 0 and "illisible" in done.stderr, done.stderr
    git(repo, "reset", "-q", "--hard", "HEAD~1", env=env)
    return seconds


def run(size: int, pushes: int, work: Path) -> dict:
    from publisher.checksocket import socket_path

    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org",
               COMMENTS_STORE=str(work / "store"), PYTHONHASHSEED="0")
    settings = work / "benchconf.py"
    settings.write_text(SETTINGS.format(store=str(work / "store"), root=str(ROOT)),
                        encoding="utf-8")
    bare, checkout, root, repo = (work / "site.git", work / "checkout", work / f"site-{size}",
                                  work / "editor")
    git(work, "init", "-q", "--bare", "-b", "main", str(bare), env=env)
    git(work, "clone", "-q", str(bare), str(repo), env=env)
    git(repo, "checkout", "-q", "-B", "main", env=env)
    # The site's own content (its pages link its articles; required data files),
    # then N synthetic articles.
    shutil.copytree(ROOT / "content", repo / "content")
    make_content(work / "synthetic", size)
    for article in (work / "synthetic" / "articles").iterdir():
        shutil.move(article, repo / "content" / "articles" / article.name)
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "-q", "-m", "Contenu", env=env)
    git(repo, "push", "-q", "origin", "main", env=env)  # before the hooks: not measured
    subprocess.run([sys.executable, "-m", "publisher.git", "install", str(bare), "--checkout",
                    str(checkout), "--root", str(root), "--settings", str(settings)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    r = {"visible": [], "refused": [], "cold_visible": [], "cold_refused": []}
    child, r["first"] = start_publisher(work, checkout / "content", root)
    server, base = serve(root)
    sock = socket_path(root)
    try:
        time.sleep(2.0)  # the watcher is ready
        for i in range(pushes):
            r["visible"].append(push_edit(repo, root, base, env, (i * 101 + 7) % size, "f"))
        for i in range(pushes):
            r["refused"].append(push_mistake(repo, env, i))
        aside = sock.with_name("aside.sock")
        sock.rename(aside)  # the baseline: no publisher answers, the hook checks cold
        try:
            r["cold_visible"].append(push_edit(repo, root, base, env, 13 % size, "c"))
            r["cold_refused"].append(push_mistake(repo, env, 0))
        finally:
            aside.rename(sock)
    finally:
        server.shutdown()
        child.terminate()
        child.wait(30)
    return r


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--pushes", type=int, default=3)
    args = parser.parse_args()
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"bench-git-{size}-"))
        try:
            r = run(size, args.pushes, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"{size} articles: first publication {r['first']:.1f} s")
        for what, fast, cold in (("push -> visible (one edited article)", "visible",
                                  "cold_visible"),
                                 ("push -> refusal (a French date)", "refused", "cold_refused")):
            print(f"  {what}: publisher's check "
                  + ", ".join(f"{t:.2f}" for t in r[fast]) + f" s (median {median(r[fast]):.2f} s);"
                  f" baseline cold check {median(r[cold]):.1f} s;"
                  f" ratio {median(r[cold]) / median(r[fast]):.0f}x")


if __name__ == "__main__":
    main()
