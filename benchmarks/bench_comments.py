#!/usr/bin/env python3
"""Benchmark of the comment service against Isso 0.14 (not a test).

    .venv/bin/python benchmarks/bench_comments.py [--comments 2000] [--threads 16] [--skip-isso]

Both servers run under gunicorn with 2 sync workers on free loopback ports;
16 client threads send the comments over fresh HTTP connections. Reported:

- our accepted comments per second and p50/p99 latency, first with a fresh
  captcha fetched for every comment (GET /captcha then POST, as a browser
  does), then with tokens fetched beforehand (POST alone, like Isso's load);
- captcha images drawn per second (GET /captcha/<token>.png);
- Isso 0.14.0 (``POST /new?uri=...``, moderation and guard off), installed by
  this script into benchmarks/_work/isso-venv (gitignored) if missing;
- the ratio ours/Isso, and a check that every accepted comment is on disk
  (our JSON files, Isso's SQLite rows);
- under each run, the CPU per accepted item of the server (gunicorn's process
  group) and of the client (this process): the two share the machine's cores.

Rate limits and the minimum fill time are raised by configuration for the run;
captchas are solved with comment_service.captcha.challenge.answer_for.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
sys.path.insert(0, str(ROOT))

from comment_service.captcha.challenge import answer_for  # noqa: E402

THREAD = "bench-article"
WORKER_ARGS: list[str] = []  # gunicorn worker options, the same for both servers
ISSO_VERSION = "0.14.0"
GUNICORN_PIN = "gunicorn==27.0.1"
TEXT = ("Merci pour cet article sur les services publics de demain : la participation des habitants "
        "me paraît essentielle, notamment pour les transports et les collèges du département. ") * 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def start(cmd: list[str], env: dict, log: Path, cwd: Path) -> subprocess.Popen:
    out = open(log, "wb")
    try:
        return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        out.close()


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def wait_ready(proc: subprocess.Popen, port: int, path: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            status, _ = request(port, "GET", path)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def process_group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of the live processes of one process group
    (a gunicorn master started in its own session, and its workers)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid:  # fields[2]: the process group; [11], [12]: utime, stime
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class Run:
    def __init__(self, name: str):
        self.name = name
        self.latencies: list[float] = []
        self.accepted = 0
        self.failed: dict[int, int] = {}
        self.elapsed = 0.0
        self.client_cpu = self.server_cpu = 0.0  # seconds, over the whole run

    def record(self, status: int, latency: float, ok: bool) -> None:
        self.latencies.append(latency)
        if ok:
            self.accepted += 1
        else:
            self.failed[status] = self.failed.get(status, 0) + 1

    @property
    def rate(self) -> float:
        return self.accepted / self.elapsed if self.elapsed else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))] * 1000

    def line(self) -> str:
        failed = f", failed {self.failed}" if self.failed else ""
        return (f"{self.name:<58} {self.rate:8.1f}/s   p50 {self.pct(50):7.1f} ms   p99 {self.pct(99):7.1f} ms"
                f"   ({self.accepted} accepted in {self.elapsed:.2f} s{failed})")

    def cpu_line(self) -> str:
        """CPU per accepted item: the server's processes, and this client's threads."""
        n = max(1, self.accepted)
        return (f"{'':<58}   CPU per item: server {self.server_cpu * 1000 / n:5.2f} ms,"
                f" client {self.client_cpu * 1000 / n:5.2f} ms")


def load(run: Run, n: int, threads: int, task, server: subprocess.Popen | None = None) -> Run:
    """Run task(i) -> (status, ok) n times from `threads` threads; time each call
    (and count the CPU of this process and of the server's process group)."""
    def timed(i):
        t0 = time.perf_counter()
        status, ok = task(i)
        return status, time.perf_counter() - t0, ok

    cpu0, server0 = time.process_time(), process_group_cpu(server.pid) if server else 0.0
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(timed, range(n)))
    run.elapsed = time.perf_counter() - t0
    run.client_cpu = time.process_time() - cpu0
    run.server_cpu = process_group_cpu(server.pid) - server0 if server else 0.0
    for status, latency, ok in results:
        run.record(status, latency, ok)
    return run


# --- ours ----------------------------------------------------------------------------

def bench_ours(n: int, threads: int) -> dict:
    base = WORK / "ours"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    manifest = base / "comment-threads.json"
    manifest.write_text(json.dumps({"version": 1, "threads": {
        THREAD: {"url": "/bench/", "title": "Bench", "open": True}}}), encoding="utf-8")
    secret = secrets.token_urlsafe(48)
    port = free_port()
    env = dict(os.environ, COMMENTS_ENV="production", COMMENTS_SECRET=secret, COMMENTS_STORE=str(base / "store"),
               COMMENTS_THREADS_FILE=str(manifest), COMMENTS_RATE_LIMIT="999999999/600",
               COMMENTS_CAPTCHA_RATE_LIMIT="999999999/600", COMMENTS_MEDIA_RATE_LIMIT="999999999/600",
               COMMENTS_MIN_FILL_SECONDS="0",
               PYTHONPATH=str(ROOT))
    log = base / "gunicorn.log"
    proc = start([sys.executable, "-m", "gunicorn", "-w", "2", *WORKER_ARGS, "-b", f"127.0.0.1:{port}",
                  "comment_service.wsgi:application"], env, log, ROOT)
    try:
        wait_ready(proc, port, "/commentaires/sante", log)
        json_headers = {"Content-Type": "application/json"}

        def new_token() -> str:
            status, body = request(port, "GET", "/commentaires/captcha")
            if status != 200:
                raise RuntimeError(f"GET /captcha: {status} {body[:200]!r}")
            return json.loads(body)["token"]

        def post(token: str, i: int) -> int:
            body = json.dumps({"name": f"Lecteur {i}", "email": "", "text": f"{TEXT} ({i})",
                               "captcha_token": token, "captcha_answer": answer_for(token, secret),
                               "website": ""}).encode()
            status, _ = request(port, "POST", f"/commentaires/fils/{THREAD}", body, json_headers)
            return status

        post_latencies: list[float] = []

        def end_to_end(i):
            token = new_token()
            t0 = time.perf_counter()
            status = post(token, i)
            post_latencies.append(time.perf_counter() - t0)
            return status, status == 202

        e2e = load(Run("ours: GET /captcha + POST (fresh captcha per comment)"), n, threads, end_to_end, proc)

        # Captcha images: tokens fetched beforehand, then the images under load.
        with ThreadPoolExecutor(threads) as pool:
            img_tokens = list(pool.map(lambda _: new_token(), range(min(n, 1000))))
        images = load(Run("ours: GET /captcha/<token>.png (images drawn)"), len(img_tokens), threads,
                      lambda i: (lambda s: (s, s == 200))(request(port, "GET", f"/commentaires/captcha/{img_tokens[i]}.png")[0]),
                      proc)

        # POST alone: tokens fetched beforehand (untimed), like Isso's load.
        with ThreadPoolExecutor(threads) as pool:
            tokens = list(pool.map(lambda _: new_token(), range(n)))
        post_only = load(Run("ours: POST only (tokens fetched beforehand)"), n, threads,
                         lambda i: (lambda s: (s, s == 202))(post(tokens[i], n + i)), proc)

        files = list((base / "store").glob("*/*/*.json"))
        leftovers = list((base / "store" / "tmp").glob("*"))
        accepted = e2e.accepted + post_only.accepted
        return {"e2e": e2e, "post_only": post_only, "images": images, "accepted": accepted,
                "on_disk": len(files), "tmp_leftovers": len(leftovers),
                "post_p50": statistics.median(post_latencies) * 1000 if post_latencies else float("nan")}
    finally:
        stop(proc)


# --- Isso ------------------------------------------------------------------------------

def isso_python() -> Path:
    venv = WORK / "isso-venv"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", f"import isso, gunicorn, importlib.metadata as m; assert m.version('isso') == '{ISSO_VERSION}'"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"installing isso=={ISSO_VERSION} into {venv} (once) ...", flush=True)
    shutil.rmtree(venv, ignore_errors=True)
    base_python = getattr(sys, "_base_executable", None) or "python3"
    subprocess.run([base_python, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"isso=={ISSO_VERSION}", GUNICORN_PIN], check=True)
    subprocess.run(probe, check=True)
    return python


def bench_isso(n: int, threads: int) -> dict:
    python = isso_python()
    base = WORK / "isso"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    port = free_port()
    site_port = free_port()  # nothing listens there: Isso only warns at start-up
    db = base / "comments.db"
    cfg = base / "isso.cfg"
    cfg.write_text(f"""[general]
dbpath = {db}
host = http://127.0.0.1:{site_port}/
notify = stdout
log-file = {base / 'isso.log'}

[moderation]
enabled = false

[guard]
enabled = false
ratelimit = 1000000
direct-reply = 1000000
reply-to-self = true
require-author = false
require-email = false

[server]
listen = http://127.0.0.1:{port}/
""", encoding="utf-8")
    env = dict(os.environ, ISSO_SETTINGS=str(cfg))
    log = base / "gunicorn.log"
    proc = start([str(python), "-m", "gunicorn", "-w", "2", *WORKER_ARGS, "-b", f"127.0.0.1:{port}", "isso.run:application"],
                 env, log, base)
    try:
        wait_ready(proc, port, "/config", log)
        headers = {"Content-Type": "application/json"}

        def post(i):
            body = json.dumps({"text": f"{TEXT} ({i})", "author": f"Lecteur {i}", "title": "Bench"}).encode()
            status, _ = request(port, "POST", "/new?uri=/bench/", body, headers)
            return status, status in (201, 202)

        # Create the thread first (two workers racing to create it is not what we measure).
        warm_status, _ = post(-1)
        if warm_status not in (201, 202):
            raise RuntimeError(f"Isso refused the first comment: {warm_status}\n{log.read_text()[-2000:]}")
        run = load(Run(f"Isso {ISSO_VERSION}: POST /new"), n, threads, post, proc)
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
        return {"run": run, "accepted": run.accepted + 1, "on_disk": rows}
    finally:
        stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--skip-isso", action="store_true")
    parser.add_argument("--gthread", type=int, default=0, metavar="N",
                        help="both servers with gunicorn's gthread workers, N threads each "
                             "(default: sync workers)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.gthread:
        WORKER_ARGS[:] = ["-k", "gthread", "--threads", str(args.gthread)]
    workers = f"gthread x{args.gthread}" if args.gthread else "sync"

    print(f"{args.comments} comments, {args.threads} client threads, gunicorn -w 2 ({workers}), loopback, "
          f"{os.cpu_count()} CPUs\n", flush=True)
    ours = bench_ours(args.comments, args.threads)
    for run in (ours["e2e"], ours["post_only"], ours["images"]):
        print(run.line().replace("accepted", "images" if run is ours["images"] else "accepted"))
        print(run.cpu_line())
    lost_ours = ours["accepted"] != ours["on_disk"] or ours["tmp_leftovers"]
    print(f"ours on disk: {ours['accepted']} accepted, {ours['on_disk']} files, {ours['tmp_leftovers']} in tmp/ -> "
          f"{'LOST OR EXTRA COMMENTS' if lost_ours else 'nothing lost'}\n", flush=True)

    lost_isso = False
    if not args.skip_isso:
        try:
            isso = bench_isso(args.comments, args.threads)
        except Exception as exc:  # report why Isso could not run, keep our figures
            print(f"Isso could not run: {exc}")
        else:
            print(isso["run"].line())
            print(isso["run"].cpu_line())
            lost_isso = isso["accepted"] != isso["on_disk"]
            print(f"Isso on disk: {isso['accepted']} accepted, {isso['on_disk']} rows -> "
                  f"{'LOST OR EXTRA COMMENTS' if lost_isso else 'nothing lost'}\n")
            rate = isso["run"].rate
            print(f"ratio ours/Isso, with a fresh captcha per comment: {ours['e2e'].rate / rate:5.2f}x")
            print(f"ratio ours/Isso, POST only:                        {ours['post_only'].rate / rate:5.2f}x")
    return 1 if lost_ours else 0


if __name__ == "__main__":
    sys.exit(main())
