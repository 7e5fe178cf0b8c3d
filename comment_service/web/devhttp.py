"""A small threaded wsgiref server for development, standard library only.

Used by ``python -m comment_service serve`` and by the development launcher
(``python -m devserver``). Production runs the service under gunicorn instead.

    from wsgiref.simple_server import make_server
    from comment_service.web.devhttp import QuietHandler, ThreadingWSGIServer

    make_server(host, port, app, server_class=ThreadingWSGIServer,
                handler_class=QuietHandler.with_logger("devserver"))
"""

from __future__ import annotations

import logging
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

__all__ = ["ThreadingWSGIServer", "QuietHandler"]

DEFAULT_LOGGER = "comment_service.http"


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """wsgiref's WSGIServer, one thread per request (daemon threads, address reuse)."""

    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    """A request handler that logs each request through ``logging`` (INFO) instead of stderr.

    The logger is ``logging.getLogger(cls.logger_name)``: ``comment_service.http``
    here, another name with ``QuietHandler.with_logger(name)``.
    """

    logger_name: str = DEFAULT_LOGGER

    @classmethod
    def with_logger(cls, name: str) -> type["QuietHandler"]:
        """A subclass that logs to the logger called ``name`` (pass it as handler_class)."""
        return type(cls.__name__, (cls,), {"logger_name": name})

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        logging.getLogger(self.logger_name).info("%s %s", self.address_string(), format % args)
