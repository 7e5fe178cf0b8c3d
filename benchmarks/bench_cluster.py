#!/usr/bin/env python3
"""Comments per second through nginx: the SQLite guard on one instance, the
Redis guard on one and on two instances (not a test).

    .venv/bin/python benchmarks/bench_cluster.py [--comments 1000] [--threads 16]

Every configuration runs behind Debian's nginx with the repository's
configuration (deploy/nginx, rendered as in tests/deploy), gunicorn with two
sync workers per instance, a real redis-server on 127.0.0.1 for the Redis
guard, one shared store folder per configuration. The clients send JSON
posts with captcha tokens drawn beforehand (solved with answer_for), over
fresh connections, from ``--threads`` threads; each configuration sends
``--comments`` comments (1,000 by default), then checks that every accepted
comment is on disk. Needs nginx and redis-server (`make test-deps`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "deploy")]

from comment_service.captcha import challenge as captcha  # noqa: E402
from comment_service.store import CommentStore  # noqa: E402
from deploylib import SECRET, Nginx, Redis, Service, http  # noqa: E402

THREAD = "bench-article"
TEXT = "Merci pour cet article : la participation des habitants me paraît essentielle."


def site_root(work: Path) -> Path:
    """A minimal served release: the threads manifest and a home page."""
    release = work / "site" / "releases" / "r1"
    release.mkdir(parents=True)
    (release / "index.html").write_text("<!doctype html><title>bench</title>", encoding="utf-8")
    (release / "404.html").write_text("<!doctype html><title>404</title>", encoding="utf-8")
    manifest = {"version": 1, "threads": {THREAD: {"url": "/bench/", "title": "Bench", "open": True}}}
    (release / "comment-threads.json").write_text(json.dumps(manifest), encoding="utf-8")
    (work / "site" / "current").symlink_to("releases/r1")
    return work / "site"


def send(base: str, n: int, threads: int) -> tuple[float, list[float], list[str]]:
    tokens = [captcha.issue(SECRET, time.time()) for _ in range(n)]
    bodies = []
    for i, challenge in enumerate(tokens):
        token = challenge.token
        bodies.append(json.dumps({"name": "Bench", "email": "", "text": f"{TEXT} {i}", "captcha_token": token,
                                  "captcha_answer": captcha.answer_for(token, SECRET), "website": ""}).encode())
    headers = {"Content-Type": "application/json", "Accept": "application/json"}

    def one(body):
        started = time.perf_counter()
        answer = http(f"{base}/commentaires/fils/{THREAD}", "POST", body, headers)
        return time.perf_counter() - started, answer.status, answer.body

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(one, bodies))
    elapsed = time.perf_counter() - started
    ids = [json.loads(body)["id"] for _t, status, body in results if status == 202]
    bad = [status for _t, status, _b in results if status != 202]
    if bad:
        print(f"  refused or failed: {len(bad)} ({sorted(set(bad))})")
    return elapsed, [t for t, _s, _b in results], ids


def run(label: str, work: Path, instances: int, guard: str, redis: Redis | None, args) -> dict:
    root = site_root(work)
    store = work / "store"
    settings = {"COMMENTS_GUARD_URL": redis.url} if guard == "redis" else {}
    services = [Service(work, f"instance{i}", root, store, "http://127.0.0.1:8080", **settings)
                for i in range(instances)]
    nginx = Nginx(work, root, [f"127.0.0.1:{s.port}" for s in services], COMMENTS_RATE="100000r/s",
                  COMMENTS_BURST="100000")
    try:
        send(nginx.base, 20, 4)  # warm up the workers
        elapsed, latencies, ids = send(nginx.base, args.comments, args.threads)
    finally:
        nginx.stop()
        for service in services:
            service.stop()
    on_disk = {c.id for c in CommentStore(store).iter_comments()}
    lost = set(ids) - on_disk
    latencies.sort()
    result = {"configuration": label, "accepted": len(ids), "per_second": len(ids) / elapsed,
              "p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * latencies[int(0.99 * len(latencies))],
              "lost": len(lost)}
    print(f"{label:<34} {result['per_second']:8.1f} comments/s   p50 {result['p50_ms']:6.1f} ms   "
          f"p99 {result['p99_ms']:6.1f} ms   accepted {len(ids)}/{args.comments}, lost {len(lost)}", flush=True)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        tmp = Path(tmp)
        (tmp / "redis").mkdir()
        redis = Redis(tmp / "redis")
        try:
            results = []
            for label, instances, guard in (("SQLite guard, 1 instance", 1, "sqlite"),
                                            ("Redis guard, 1 instance", 1, "redis"),
                                            ("Redis guard, 2 instances", 2, "redis")):
                work = tmp / label.replace(" ", "-").replace(",", "")
                work.mkdir()
                results.append(run(label, work, instances, guard, redis, args))
        finally:
            redis.stop()
    print(json.dumps(results, indent=1))
    return 0 if all(r["lost"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
