"""The channel between the ``pre-receive`` hook and the running publisher.

The publisher listens on a Unix socket, ``SITE_ROOT/.publisher/check.sock``
(folder ``0700``, socket ``0600``, and only a peer of the publisher's own
user is answered). The hook sends one JSON line, the new bytes of the
content files a push changes (paths relative to the content folder, bytes
in base64)::

    {"files": {"articles/a.md": "VGl0bGU6IOKApg=="}}

and reads one JSON line back: ``{"outcome": "ok" | "refused" | "cold",
"report": "…"}``. ``cold``: the publisher cannot judge this change from its
kept build (``precheck.py`` says why); the hook then builds the commit as
before. The hook waits ``WAIT_SECONDS`` at most (the publisher may be in the
middle of a full publication); no socket, no answer in time, or a malformed
one: the hook's cold check.

The listener (``serve``) runs in a thread of the publisher; each request is
handed to the publication loop (``watch.Change.checks``), which answers it
between two publications: a check never runs beside a publication.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import socketserver
import struct
import threading
from pathlib import Path

FOLDER = ".publisher"
NAME = "check.sock"
WAIT_SECONDS = 20.0
MAX_FILES = 20
MAX_REQUEST = 8 * 1024 * 1024  # bytes of one request line
OK, REFUSED, COLD = "ok", "refused", "cold"


def socket_path(root: Path | str) -> Path:
    return Path(root) / FOLDER / NAME


class Request:
    """A check waiting for the publication loop's answer."""

    def __init__(self, texts: dict[str, bytes]):
        self.texts = texts  # absolute paths in the content folder -> new bytes
        self.answer: tuple[str, str] = (COLD, "pas de réponse")
        self.abandoned = False  # the hook stopped waiting: no need to check
        self._done = threading.Event()

    def reply(self, outcome: str, report: str = "") -> None:
        self.answer = (outcome, report)
        self._done.set()

    def wait(self, seconds: float) -> tuple[str, str]:
        if not self._done.wait(seconds):
            self.abandoned = True
            return COLD, "le publisher n'a pas répondu à temps"
        return self.answer


def decode_files(files, content: Path) -> dict[str, bytes] | None:
    """Absolute path -> bytes, for well-formed paths of Markdown files inside
    ``content``; None when anything is off (the hook then checks cold)."""
    if not isinstance(files, dict) or len(files) > MAX_FILES:
        return None
    base = content.resolve()
    texts = {}
    for relative, data in files.items():
        if not (isinstance(relative, str) and isinstance(data, str)) or not relative.endswith(".md"):
            return None
        parts = Path(relative).parts
        if not parts or Path(relative).is_absolute() or ".." in parts or "\x00" in relative:
            return None
        try:
            texts[str(base / relative)] = base64.b64decode(data, validate=True)
        except ValueError:
            return None
    return texts


def serve(root: Path, content: Path, submit, stop: threading.Event) -> socketserver.BaseServer | None:
    """Listen for checks until ``stop``; ``submit(Request)`` hands one to the
    loop. None (and no channel) when the socket cannot be made."""
    path = socket_path(root)

    class Handler(socketserver.StreamRequestHandler):
        timeout = 10.0

        def handle(self):
            creds = self.request.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                            struct.calcsize("3i"))
            if struct.unpack("3i", creds)[1] != os.getuid():
                return
            outcome, report = COLD, "requête illisible"
            try:
                raw = self.rfile.readline(MAX_REQUEST + 1)
                texts = decode_files(json.loads(raw.decode("utf-8")).get("files"), content) \
                    if len(raw) <= MAX_REQUEST else None
            except (ValueError, AttributeError, UnicodeDecodeError, OSError):
                texts = None
            if texts is not None:
                request = Request(texts)
                submit(request)
                outcome, report = request.wait(WAIT_SECONDS)
            answer = json.dumps({"outcome": outcome, "report": report}, ensure_ascii=False)
            self.wfile.write(answer.encode("utf-8") + b"\n")

    class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
        daemon_threads = True

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        path.unlink(missing_ok=True)  # left by a publisher that died
        old_umask = os.umask(0o177)
        try:
            server = Server(str(path), Handler)
        finally:
            os.umask(old_umask)
    except OSError:
        return None
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5},
                              daemon=True)
    thread.start()

    def closer():
        stop.wait()
        server.shutdown()
        server.server_close()
        path.unlink(missing_ok=True)

    threading.Thread(target=closer, daemon=True).start()
    return server


def ask(root: Path | str, files: dict[str, bytes],
        seconds: float = WAIT_SECONDS) -> tuple[str, str] | None:
    """The running publisher's answer for these files (paths relative to the
    content folder), or None when there is no answer (no publisher, too slow)."""
    line = json.dumps({"files": {p: base64.b64encode(b).decode("ascii")
                                 for p, b in files.items()}}).encode("ascii") + b"\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(seconds + 5.0)
            sock.connect(str(socket_path(root)))
            sock.sendall(line)
            sock.shutdown(socket.SHUT_WR)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
                if len(data) > MAX_REQUEST:
                    return None
        answer = json.loads(data.decode("utf-8"))
        outcome, report = answer["outcome"], answer.get("report", "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None
    if outcome not in (OK, REFUSED, COLD) or not isinstance(report, str):
        return None
    return outcome, report
