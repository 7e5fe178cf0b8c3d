"""gunicorn settings read from the working directory (``gunicorn comment_service.wsgi:application``
run from the repository's root reads this file by itself; elsewhere pass ``-c``).

- ``forwarder_headers``: gunicorn copies a ``SCRIPT_NAME`` or ``PATH_INFO``
  request header into the WSGI environ when the request comes from a trusted
  address (``forwarded_allow_ips``, 127.0.0.1 by default, where nginx and
  every local client are), and answers 500 when the path does not start with
  it. The comment service takes its public prefix from COMMENTS_PREFIX only
  and nginx sets neither header, so none is trusted; such headers are then
  dropped (``header_map = "drop"``, gunicorn's default for names with "_").
- ``control_socket_disable``: gunicorn 27 opens a control socket for
  ``gunicornc`` in ``$XDG_RUNTIME_DIR`` or ``~/.gunicorn/gunicorn.ctl``, one path
  shared by every instance of one user on the host (two instances would fight
  over it; a DynamicUser has no home). The service does not use it: off.
- The sync workers have no read timeout of their own: in production nginx
  buffers each request body whole before proxying it (docs/comment-service.md),
  so a slow client never holds a worker.
"""

forwarder_headers = ""
header_map = "drop"
control_socket_disable = True
