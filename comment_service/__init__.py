"""External comment service of the Val-d'Oise site (WSGI, standard library first).

``comment_service.wsgi:application`` is the production entry point,
``create_app(config)`` builds an application for tests, and
``comment_service.captcha.answer_for(token, secret)`` solves a captcha.
"""

from .app import App, create_app
from .config import Config, ConfigError, load_config

__all__ = ["App", "Config", "ConfigError", "create_app", "load_config"]
