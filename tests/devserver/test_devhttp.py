"""The development HTTP server pieces (comment_service.web.devhttp) shared by
`python -m comment_service serve` and the launcher (`python -m devserver`)."""

from __future__ import annotations

import logging
import threading
import urllib.request
from wsgiref.simple_server import make_server

from comment_service import __main__ as cli
from comment_service.web.devhttp import QuietHandler, ThreadingWSGIServer


def _hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def _serve_once(handler_class, path: str = "/x") -> bytes:
    with make_server("127.0.0.1", 0, _hello, server_class=ThreadingWSGIServer,
                     handler_class=handler_class) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}", timeout=10) as resp:
                return resp.read()
        finally:
            server.shutdown()
            thread.join(10)


def test_cli_and_launcher_use_the_shared_classes():
    import devserver.__main__ as launcher

    assert cli.ThreadingWSGIServer is ThreadingWSGIServer and cli.QuietHandler is QuietHandler
    assert launcher.ThreadingWSGIServer is ThreadingWSGIServer and launcher.QuietHandler is QuietHandler
    assert ThreadingWSGIServer.daemon_threads and ThreadingWSGIServer.allow_reuse_address


class _Records(logging.Handler):
    """Collects the records of one logger; the request is logged by the server's
    request thread after the response is sent, so the test waits for it."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages: list[str] = []
        self.arrived = threading.Event()

    def emit(self, record):
        self.messages.append(record.getMessage())
        self.arrived.set()


def _logged_request(handler_class, logger_name: str, path: str) -> list[str]:
    logger = logging.getLogger(logger_name)
    records = _Records()
    old_level = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.INFO)
    try:
        assert _serve_once(handler_class, path) == b"hello"
        assert records.arrived.wait(10)
    finally:
        logger.removeHandler(records)
        logger.setLevel(old_level)
    return records.messages


def test_quiet_handler_logs_through_logging():
    # (Distinct paths: once Pelican is imported, its logger class drops repeated messages.)
    messages = _logged_request(QuietHandler, "comment_service.http", "/default-logger")
    assert any("GET /default-logger" in m and "127.0.0.1" in m for m in messages), messages


def test_quiet_handler_with_another_logger():
    handler = QuietHandler.with_logger("test_comment_devhttp.custom")
    assert issubclass(handler, QuietHandler) and QuietHandler.logger_name == "comment_service.http"
    messages = _logged_request(handler, "test_comment_devhttp.custom", "/custom-logger")
    assert any("GET /custom-logger" in m for m in messages), messages
