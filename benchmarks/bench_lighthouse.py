"""Lighthouse benchmark: scores and page weight of the production site.

One command:  .venv/bin/python benchmarks/bench_lighthouse.py [--preset desktop] [--runs 1]

It builds the production site (publishconf.py, SITEURL set to the local
address so that canonical URLs point to the server under test) into
benchmarks/_work/lighthouse/, serves it on 127.0.0.1 (a free port) as
production does: static files gzip-compressed with long caching for the
theme, the comment service under /commentaires/ (empty store), then runs
Lighthouse (npm lighthouse 12.2.3 from benchmarks/package.json, `make
bench-deps` installs it into benchmarks/node_modules; Debian's Chromium) on the home page, an article and the agenda.

It prints the four category scores (aim: performance >= 95, accessibility,
best practices and SEO 100), the audits that lost points, and the page
weight: HTML + CSS + JS transferred (gzip) and raw, against the 50 KB budget
(images and the search bundle, loaded by the search page only, excluded).
Scores vary from run to run (simulated mobile throttling by default): with
--runs N the median is printed. Figures only: nothing here is a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = ROOT / "benchmarks" / "_work" / "lighthouse"
LIGHTHOUSE_MODULES = ROOT / "benchmarks" / "node_modules"  # benchmarks/package.json (make bench)
LIGHTHOUSE = LIGHTHOUSE_MODULES / ".bin" / "lighthouse"
CHROME = shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/",
    "article": "/2014/06/12/inventer-les-services-publics-de-demain/",
    "agenda": "/agenda/",
}
BUDGET = 50 * 1024
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "image/svg+xml", "application/atom+xml", "application/manifest+json")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(base: str, output: Path, store: Path) -> None:
    env = dict(os.environ, SITEURL=base, COMMENTS_STORE=str(store))
    subprocess.run([sys.executable, "-m", "pelican", "content", "-o", str(output),
                    "-s", "publishconf.py", "-q", "-e",
                    f'CACHE_PATH={json.dumps(str(WORK / "cache"))}'],
                   cwd=ROOT, env=env, check=True)


class Production:
    """What nginx does in front of output/: gzip for text, a long cache for
    the theme's files, `no-cache` (revalidate) for pages."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"]
                   if k.lower() not in ("content-length", "cache-control")]
        kind = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        path = environ.get("PATH_INFO", "")
        headers.append(("Cache-Control", "public, max-age=31536000" if path.startswith("/theme/")
                        else "no-cache"))
        if ("gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and len(body) > 256
                and kind.startswith(COMPRESSIBLE)):
            body = gzip.compress(body, 6)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]


def serve(output: Path, store: Path, port: int):
    from comment_service import defaults

    base = f"http://127.0.0.1:{port}"
    os.environ.update(COMMENTS_SITE_URL=base, COMMENTS_STORE=str(store),
                      COMMENTS_THREADS_FILE=str(output / defaults.THREADS_MANIFEST))
    from wsgiref.simple_server import make_server

    from comment_service.web.app import create_app
    from comment_service.config import load_config
    from comment_service.web.devhttp import QuietHandler, ThreadingWSGIServer
    from devserver import Mount, StaticSite

    config = load_config()
    site = Production(StaticSite(output))
    app = Mount(config.prefix, create_app(config), site)
    server = make_server("127.0.0.1", port, app, server_class=ThreadingWSGIServer,
                         handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def lighthouse(url: str, preset: str | None, report: Path) -> dict:
    profile = tempfile.mkdtemp(prefix="lh-profile-")
    flags = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
             f"--disable-background-networking --user-data-dir={profile}")
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
           f"--chrome-flags={flags}", "--only-categories=" + ",".join(CATEGORIES)]
    if preset:
        cmd.append(f"--preset={preset}")
    try:
        subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROME), check=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return json.loads(report.read_text(encoding="utf-8"))


def weight(result: dict, output: Path) -> dict:
    """HTML, CSS and JS of the page: bytes transferred, and the raw files."""
    items = result["audits"]["network-requests"]["details"]["items"]
    kept = [i for i in items if i.get("resourceType") in ("Document", "Stylesheet", "Script")
            and "/pagefind/" not in i["url"]]
    transferred = sum(i.get("transferSize", 0) for i in kept)
    raw = sum(i.get("resourceSize", 0) for i in kept)
    third_party = [i["url"] for i in items if not i["url"].startswith("http://127.0.0.1:")
                   and not i["url"].startswith("data:")]
    return {"transferred": transferred, "raw": raw, "requests": len(kept),
            "urls": [i["url"] for i in kept], "third_party": third_party}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=["desktop", "perf", "experimental"], default=None,
                        help="Lighthouse preset (default: mobile, simulated throttling)")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is missing: run `make bench-deps` (npm ci --ignore-scripts in benchmarks/)")
    if not Path(CHROME).exists():
        sys.exit("Debian's chromium is missing: run `make browser`")

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    output, store = WORK / "output", WORK / "store"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"Building the production site for {base} ...", flush=True)
    build(base, output, store)
    server = serve(output, store, port)
    rows = []
    try:
        for name, path in PAGES.items():
            runs = []
            for n in range(args.runs):
                print(f"Lighthouse: {name} ({path}), run {n + 1}/{args.runs} ...", flush=True)
                runs.append(lighthouse(base + path, args.preset, WORK / f"{name}-{n}.json"))
            scores = {c: statistics.median(round(r["categories"][c]["score"] * 100) for r in runs)
                      for c in CATEGORIES}
            last = runs[-1]
            lost = sorted({f"{a['id']} ({a['score']})" for r in runs
                           for c in CATEGORIES for ref in r["categories"][c]["auditRefs"]
                           if ref["weight"] > 0
                           for a in [r["audits"][ref["id"]]]
                           if a["score"] is not None and a["score"] < 1})
            metrics = {k: last["audits"][k]["displayValue"] for k in
                       ("first-contentful-paint", "largest-contentful-paint",
                        "total-blocking-time", "cumulative-layout-shift")}
            rows.append((name, path, scores, weight(last, output), lost, metrics))
    finally:
        server.shutdown()
        server.server_close()

    preset = args.preset or "mobile (default)"
    print(f"\nLighthouse {json.loads((LIGHTHOUSE_MODULES / 'lighthouse' / 'package.json').read_text())['version']}"
          f", preset {preset}, {args.runs} run(s) per page, median scores\n")
    print(f"{'page':<9} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}   "
          f"{'HTML+CSS+JS gzip':>17} {'raw':>9}  budget 50 KB")
    for name, _path, s, w, _lost, _m in rows:
        ok = "ok" if w["transferred"] <= BUDGET and w["raw"] <= BUDGET else "OVER"
        print(f"{name:<9} {s['performance']:>5} {s['accessibility']:>5} "
              f"{s['best-practices']:>5} {s['seo']:>5}   {w['transferred'] / 1024:>14.1f} KB"
              f" {w['raw'] / 1024:>6.1f} KB  {ok} ({w['requests']} requests)")
    for name, _path, _s, w, lost, metrics in rows:
        print(f"\n{name}: " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
        print("  files: " + ", ".join(u.replace(base, "") for u in w["urls"]))
        print("  third-party requests: " + (", ".join(w["third_party"]) or "none"))
        print("  audits below 1: " + (", ".join(lost) or "none"))
    print(f"\nReports: {WORK}/<page>-<run>.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
