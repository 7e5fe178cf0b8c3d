"""Production entry point: ``gunicorn comment_service.wsgi:application``.

The application is built from the environment at import time, so a bad
configuration (for instance no COMMENTS_SECRET, or a weak one) stops the
server from starting, with the reason on stderr. Without COMMENTS_ENV this
entry point runs in production (a forgotten variable must not turn on the
development secret and cookies without Secure); development says so. Run gunicorn from
the repository's root (or pass ``-c gunicorn.conf.py``) so that it reads
``gunicorn.conf.py``: it trusts no client's SCRIPT_NAME header.
"""

import logging
import sys

from .web.app import create_app
from . import defaults
from .config import ConfigError, load_config

if not logging.getLogger().handlers:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")

try:
    config = load_config(default_env=defaults.WSGI_ENV)
except ConfigError as exc:
    print(f"comment_service: configuration error: {exc}", file=sys.stderr, flush=True)
    raise

application = create_app(config)
