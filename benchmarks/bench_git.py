"""From an editor's push to the live site, hooks included.

One command:  nice .venv/bin/python benchmarks/bench_git.py [--sizes 1000 5000] [--pushes 3]

For each size: N synthetic articles (benchmarks/bench_build.py's generator)
committed in a clone of a bare repository whose hooks are installed by
``python -m publisher.git install`` (mode publisher); the real publisher
(``python -m publisher``, production settings) watches the server's checkout;
``SITE_ROOT/current`` is served over HTTP (benchmarks/bench_publish.py's
server). Measured:

* push of one edited article (one sentence added to its body) to the
  sentence visible over HTTP: the ``git push`` itself (``pre-receive``
  builds the pushed content in a scratch folder, ``post-receive`` moves the
  checkout), then the publisher's fast path;
* a push with a mistake (a French date): time until git returns with the
  French report (the refusal).

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


def run(size: int, pushes: int, work: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org",
               COMMENTS_STORE=str(work / "store"), PYTHONHASHSEED="0")
    settings = work / "benchconf.py"
    settings.write_text(SETTINGS.format(store=str(work / "store"), root=str(ROOT)),
                        encoding="utf-8")
    bare, checkout, root, repo = (work / "site.git", work / "checkout", work / f"site-{size}",
                                  work / "editor")
    subprocess.run([sys.executable, "-m", "publisher.git", "install", str(bare), "--checkout",
                    str(checkout), "--root", str(root), "--settings", str(settings)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    git(work, "clone", "-q", str(bare), str(repo), env=env)
    git(repo, "checkout", "-q", "-B", "main", env=env)
    make_content(repo / "content", size)
    shutil.rmtree(repo / "content" / "pages")
    shutil.copytree(ROOT / "content" / "pages", repo / "content" / "pages")
    git(repo, "add", "-A", env=env)
    git(repo, "commit", "-q", "-m", "Contenu", env=env)
    started = time.perf_counter()
    git(repo, "push", "-q", "origin", "main", env=env)
    r = {"first_push": time.perf_counter() - started, "push": [], "visible": [], "refused": []}
    child, r["first"] = start_publisher(work, checkout / "content", root)
    server, base = serve(root)
    try:
        time.sleep(2.0)  # the watcher is ready
        for i in range(pushes):
            number = (i * 101 + 7) % size
            source = repo / "content" / "articles" / f"a{number:05d}.md"
            sentence = f"Phrase poussée par la rédaction {time.time_ns()}."
            source.write_text(source.read_text(encoding="utf-8") + f"\n{sentence}\n",
                              encoding="utf-8")
            git(repo, "commit", "-q", "-am", f"Phrase {i}", env=env)
            url = base + article_url(root, number)
            started = time.perf_counter()
            git(repo, "push", "-q", "origin", "main", env=env)
            r["push"].append(time.perf_counter() - started)
            wait_visible(url, sentence)
            r["visible"].append(time.perf_counter() - started)
            time.sleep(3.0)  # the search index follows
        for i in range(pushes):
            source = repo / "content" / "articles" / f"a{i:05d}.md"
            text = source.read_text(encoding="utf-8")
            source.write_text(text.replace("Date: ", "Date: 1/", 1), encoding="utf-8")
            git(repo, "commit", "-q", "-am", "Date fausse", env=env)
            started = time.perf_counter()
            done = git(repo, "push", "origin", "main", env=env, check=False)
            r["refused"].append(time.perf_counter() - started)
            assert done.returncode != 0 and "illisible" in done.stderr, done.stderr
            git(repo, "reset", "-q", "--hard", "HEAD~1", env=env)
    finally:
        server.shutdown()
        child.terminate()
        child.wait(30)
    return r


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
        med = sorted(r["visible"])[len(r["visible"]) // 2]
        print(f"{size} articles: first push (check + nothing published yet) "
              f"{r['first_push']:.1f} s, first publication {r['first']:.1f} s")
        print(f"  push of one edited article: git push returns in "
              + ", ".join(f"{t:.1f}" for t in r["push"]) + " s; visible after "
              + ", ".join(f"{t:.1f}" for t in r["visible"]) + f" s (median {med:.1f} s)")
        print("  push with a mistake: French report after "
              + ", ".join(f"{t:.1f}" for t in r["refused"]) + " s")


if __name__ == "__main__":
    main()
