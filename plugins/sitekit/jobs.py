"""Work on a build's output that runs beside the rest of the build.

A plugin starts an external program on the output (``start``: the search
index, Pagefind) and goes on; the program uses the second core while Python
renders, checks and writes. ``finish(settings)`` waits for every job of that
build and raises the first failure (each job's own ``check``); it is called
by whoever needs the output complete: the link check before it records what
it covered, and the plugin that started the job from a ``finalized``
receiver connected after every other one. A job still running when the
process exits (a build stopped by an error) is killed first, so that it
never writes into a folder that a failed publication removes.

Jobs are kept in that build's settings (each Pelican instance has its own),
never in a module global: two builds in one process cannot wait for each
other's jobs.
"""

from __future__ import annotations

import atexit
import subprocess
import tempfile
import weakref

JOBS_KEY = "_SITEKIT_JOBS"
_running: weakref.WeakSet = weakref.WeakSet()


def start(settings, command: list[str], check) -> None:
    """Run ``command`` in the background; at ``finish``, ``check(returncode,
    output)`` raises if the job failed (``output``: its stdout and stderr)."""
    # A file, not a pipe: nobody reads while it runs, and a full pipe would block it.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    _running.add(process)
    settings.setdefault(JOBS_KEY, []).append((process, log, check))


def finish(settings, timeout: float = 300) -> None:
    """Wait for every job of this build; raise the first failure."""
    jobs = settings.pop(JOBS_KEY, None) or []
    results = []
    for process, log, check in jobs:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _running.discard(process)
        with log:
            log.seek(0)
            output = log.read().decode("utf-8", errors="replace")
        results.append((check, process.returncode, output))
    for check, returncode, output in results:
        check(returncode, output)


def cancel(settings) -> None:
    """Stop every job of this build, done or not (a build that failed, in a
    process that goes on: its output folder is about to be removed)."""
    for process, log, _check in settings.pop(JOBS_KEY, None) or []:
        if process.poll() is None:
            process.kill()
        process.wait()
        _running.discard(process)
        log.close()


@atexit.register
def _kill_leftovers() -> None:
    for process in list(_running):
        if process.poll() is None:
            process.kill()
            process.wait()
