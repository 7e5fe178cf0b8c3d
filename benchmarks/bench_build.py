"""Build-time benchmark: our theme and plugins against bare Pelican.

One command:  .venv/bin/python benchmarks/bench_build.py [--sizes 1000 5000]

For each size it generates N synthetic French articles (valid for our
editorial rules), then, in the same run:
  * a full build with our settings (theme + plugins), cache off, with and
    without the search indexing step (Pagefind, an external program);
  * a full build with bare Pelican (default theme, no plugins) on the same
    content, cache off; the ratio ours / bare is printed (aim: <= 1.2);
  * a rebuild of ours after changing one article, with Pelican's content
    cache on (after a build that filled the cache), and the same for bare.
Each build runs in a fresh `pelican` process; the wall time is the best of
--repeat runs (rebuilds too, each after another change). Our build uses the
second core (Pagefind, the link check's page reader, a second article
reader): on a machine whose cores are busy with other work its wall time
suffers more than bare Pelican's, so the CPU time of every process of the
last cold build is printed too. Nothing here is a test: figures only.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PELICAN = [sys.executable, "-m", "pelican"]
sys.path.insert(0, str(ROOT))

WORDS = ("département collège route solidarité culture patrimoine innovation service "
         "public usager habitant commune projet budget environnement nature forêt "
         "transport autonomie jeunesse travaux accueil séance conseil agenda").split()


def categories():
    import pelicanconf

    return pelicanconf.EDITORIAL_CATEGORIES


def make_content(dest: Path, n: int, seed: int = 42) -> None:
    rng = random.Random(seed)
    cats = categories()
    (dest / "articles").mkdir(parents=True)
    (dest / "pages").mkdir()
    tags = [f"thème {i}" for i in range(40)]
    for i in range(n):
        title = f"Actualité {i} : " + " ".join(rng.choice(WORDS) for _ in range(5))
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2000 + i // 336
        body = "\n\n".join(
            " ".join(rng.choice(WORDS) for _ in range(60)) + "." for _ in range(5))
        (dest / "articles" / f"a{i:05d}.md").write_text(
            f"Title: {title}\nDate: {year}-{month:02d}-{day:02d} 10:00\n"
            f"Category: {rng.choice(cats)}\nTags: {rng.choice(tags)}, {rng.choice(tags)}\n"
            f"Summary: Résumé de l'actualité {i}.\n\n## Intertitre\n\n{body}\n",
            encoding="utf-8")
    shutil.copytree(ROOT / "content" / "extra", dest / "extra")
    # The site's pages (the comment form links the charter and the privacy page:
    # the link check needs them), but its 404 page: bare Pelican's theme has no
    # template for it.
    for page in (ROOT / "content" / "pages").glob("*.md"):
        if page.name != "404.md":
            shutil.copy(page, dest / "pages" / page.name)


BARE_SETTINGS = """
PATH = {path!r}
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
PLUGINS = []
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
CACHE_CONTENT = {cache}
LOAD_CONTENT_CACHE = {cache}
CACHE_PATH = {cache_path!r}
"""


CPU: dict[str, float] = {}  # CPU seconds of the last build of each kind, every process


def pelican(settings: Path, content: Path, output: Path, extra: list[str]) -> float:
    cmd = PELICAN + [str(content), "-o", str(output), "-s", str(settings), "-q", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[settings.name] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall


def ours(content: Path, output: Path, cache: bool, cache_path: Path, search: bool = True) -> float:
    flag = "true" if cache else "false"
    return pelican(ROOT / "pelicanconf.py", content, output, [
        "-e", f"CACHE_CONTENT={flag}", f"LOAD_CONTENT_CACHE={flag}",
        f'CACHE_PATH="{cache_path}"', f"SEARCH_INDEX={'true' if search else 'false'}"])


def bare(work: Path, content: Path, output: Path, cache: bool, cache_path: Path) -> float:
    settings = work / f"bare_{cache}.py"
    settings.write_text(BARE_SETTINGS.format(path=str(content), cache=cache,
                                             cache_path=str(cache_path)))
    return pelican(settings, content, output, [])


def best(fn, repeat: int) -> float:
    return min(fn() for _ in range(repeat))


def touch_one(content: Path) -> None:
    target = sorted((content / "articles").glob("*.md"))[len(list((content / "articles").glob("*.md"))) // 2]
    target.write_text(target.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n",
                      encoding="utf-8")


def run(size: int, repeat: int, work: Path) -> dict:
    content = work / f"content-{size}"
    make_content(content, size)
    out = work / "out"
    results = {}
    results["ours_full"] = best(lambda: ours(content, out, False, work / "c0"), repeat)
    results["ours_cpu"] = CPU["pelicanconf.py"]
    results["ours_nosearch"] = best(lambda: ours(content, out, False, work / "c0", search=False),
                                    repeat)
    results["bare_full"] = best(lambda: bare(work, content, out, False, work / "c1"), repeat)
    results["bare_cpu"] = CPU["bare_False.py"]
    # Rebuild after one change, content cache on (first build fills the cache);
    # best of --repeat rebuilds, each after another change.
    for name, build in (("ours", lambda: ours(content, out, True, work / f"c-ours-{size}")),
                        ("bare", lambda: bare(work, content, out, True, work / f"c-bare-{size}"))):
        build()

        def rebuild(build=build):
            touch_one(content)
            return build()

        results[f"{name}_rebuild"] = best(rebuild, repeat)
    shutil.rmtree(content)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        print(f"{'articles':>8} {'ours':>8} {'no search':>10} {'bare':>8} {'ratio':>6} "
              f"{'ratio no search':>16} {'ours rebuild':>13} {'bare rebuild':>13}")
        for size in args.sizes:
            r = run(size, args.repeat, work)
            print(f"{size:>8} {r['ours_full']:>7.2f}s {r['ours_nosearch']:>9.2f}s "
                  f"{r['bare_full']:>7.2f}s {r['ours_full'] / r['bare_full']:>6.2f} "
                  f"{r['ours_nosearch'] / r['bare_full']:>16.2f} "
                  f"{r['ours_rebuild']:>12.2f}s {r['bare_rebuild']:>12.2f}s", flush=True)
            print(f"{'':>8} CPU of the last cold build, every process (Pagefind, the link "
                  f"check's and the reader's second processes): ours {r['ours_cpu']:.2f}s, "
                  f"bare {r['bare_cpu']:.2f}s", flush=True)
    print("ours: theme + all plugins, search index (Pagefind) included; 'no search': the same\n"
          "without the Pagefind indexing step, which bare Pelican has no equivalent of.\n"
          "aim: ratio <= 1.20 (full builds, cache off)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
