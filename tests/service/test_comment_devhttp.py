"""The development HTTP server pieces shared by `serve` and the devserver."""

from __future__ import annotations

import logging
import threading
import urllib.request
from wsgiref.simple_server import make_server

from comment_service import __main__ as cli
from comment_service.devhttp import QuietHandler, ThreadingWSGIServer


def _hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def _serve_once(handler_class) -> bytes:
    with make_server("127.0.0.1", 0, _hello, server_class=ThreadingWSGIServer,
                     handler_class=handler_class) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/x", timeout=10) as resp:
                return resp.read()
        finally:
            server.shutdown()
            thread.join(10)


def test_cli_uses_the_shared_classes():
    assert cli.ThreadingWSGIServer is ThreadingWSGIServer and cli.QuietHandler is QuietHandler
    assert ThreadingWSGIServer.daemon_threads and ThreadingWSGIServer.allow_reuse_address


def test_quiet_handler_logs_through_logging(caplog):
    caplog.set_level(logging.INFO)
    assert _serve_once(QuietHandler) == b"hello"
    assert any(r.name == "comment_service.http" and "GET /x" in r.getMessage() for r in caplog.records)


def test_quiet_handler_with_another_logger(caplog):
    caplog.set_level(logging.INFO)
    handler = QuietHandler.with_logger("devserver")
    assert issubclass(handler, QuietHandler) and QuietHandler.logger_name == "comment_service.http"
    assert _serve_once(handler) == b"hello"
    assert any(r.name == "devserver" and "GET /x" in r.getMessage() for r in caplog.records)
