"""Media figures: what a reader downloads before any click, and ``prepare``.

One command:  .venv/bin/python benchmarks/bench_media.py [--seconds 60] [--skip-prepare]

1. Page weight. The real content is built twice with Pelican, as is and with
   the media sections of the seed colloquium article removed (the baseline,
   in the same run); each build is served on 127.0.0.1 and the article opened
   in Debian's Chromium (Playwright). Every response before any click is
   counted (HTML, CSS, JS, poster, caption track: bytes of the bodies), and
   every request to another host (the network is closed: such a request is
   answered by a local stub and counted). Aim: <= 120 KB with the video, and
   0 requests to other hosts.
2. ``python -m media prepare`` on a generated 1-minute 1080p « phone » clip
   (test pattern with camera-like noise and a tone, H.264 at 16 Mb/s in a
   .mov without faststart): wall time, output size, and their ratios to the
   clip's length and size.

Figures only, nothing asserted.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

ARTICLE = "content/articles/2014-06-12-inventer-les-services-publics-de-demain.md"
URL = "/2014/06/12/inventer-les-services-publics-de-demain/"
CHROMIUM = "/usr/bin/chromium"


def build(content: Path, output: Path) -> None:
    subprocess.run([sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s",
                    "pelicanconf.py", "-q", "-e", 'CACHE_CONTENT=false', "LOAD_CONTENT_CACHE=false",
                    "SEARCH_INDEX=false"], cwd=ROOT, check=True)


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def weigh(output: Path, browser) -> tuple[int, dict[str, int], list[str]]:
    from devserver.static import StaticSite

    server = make_server("127.0.0.1", 0, StaticSite(output), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    others: list[str] = []

    def route(r):
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            others.append(r.request.url)
            r.fulfill(status=204, body="")

    context.route("**/*", route)
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda req: sizes.__setitem__(
        req.url.replace(base, ""), req.sizes()["responseBodySize"]))
    page.goto(base + URL, wait_until="networkidle")
    time.sleep(1.0)
    context.close()
    server.shutdown()
    return sum(sizes.values()), sizes, others


def page_weight() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "content", tmp / "with")
        shutil.copytree(ROOT / "content", tmp / "without")
        article = (tmp / "without" / ARTICLE.removeprefix("content/"))
        text = article.read_text(encoding="utf-8")
        article.write_text(re.split(r"\n## La captation vidéo\n", text)[0] + "\n", encoding="utf-8")
        build(tmp / "with", tmp / "out-with")
        build(tmp / "without", tmp / "out-without")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            with_total, with_sizes, with_others = weigh(tmp / "out-with", browser)
            base_total, _, base_others = weigh(tmp / "out-without", browser)
            browser.close()
    print("Page weight before any click (seed colloquium article)")
    for url, size in sorted(with_sizes.items(), key=lambda i: -i[1]):
        print(f"  {size / 1000:8.1f} KB  {url}")
    print(f"  with video and card : {with_total / 1000:.1f} KB (aim <= 120 KB), "
          f"requests to other hosts: {len(with_others)} {with_others or ''}")
    print(f"  baseline, no media  : {base_total / 1000:.1f} KB, requests to other hosts: "
          f"{len(base_others)}")
    print(f"  ratio with/without  : {with_total / base_total:.2f}x "
          f"(+{(with_total - base_total) / 1000:.1f} KB)")


def prepare_clip(seconds: int) -> None:
    from media.syntax import size_fr  # noqa: F401  (the plugin is importable)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        clip = tmp / "VID_20261207_1030.mov"
        started = time.monotonic()
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size=1920x1080:rate=30:duration={seconds}", "-f", "lavfi",
                        "-i", f"sine=frequency=220:duration={seconds}", "-vf",
                        "noise=alls=6:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
                        "-b:v", "16M", "-c:a", "aac", "-b:a", "192k", str(clip)], check=True)
        made = time.monotonic() - started
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "media", "prepare", str(clip), "--dossier",
                        str(tmp / "out")], cwd=ROOT, check=True, env={"PYTHONPATH": "plugins",
                        "PATH": "/usr/bin:/bin"}, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        took = time.monotonic() - started
        out = tmp / "out" / "vid-20261207-1030.mp4"
        size_in, size_out = clip.stat().st_size, out.stat().st_size
        poster = (tmp / "out" / "vid-20261207-1030.webp").stat().st_size
    print(f"prepare on a {seconds} s 1080p clip ({size_in / 1e6:.1f} MB, made in {made:.0f} s)")
    print(f"  wall time   : {took:.1f} s ({took / seconds:.2f}x the clip's length)")
    print(f"  output      : {size_out / 1e6:.1f} MB ({size_out / size_in:.2f}x the input), "
          f"poster {poster / 1000:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args()
    page_weight()
    if not args.skip_prepare:
        prepare_clip(args.seconds)


if __name__ == "__main__":
    main()
