"""External comment service of the Val-d'Oise site (WSGI, standard library first).

``comment_service.wsgi:application`` is the production entry point,
``create_app(config)`` builds an application for tests, and
``comment_service.captcha.challenge.answer_for(token, secret)`` solves a captcha.
Imports are lazy so that the moderation command line starts quickly.
"""

__all__ = ["App", "Config", "ConfigError", "create_app", "load_config"]


def __getattr__(name):
    if name in ("App", "create_app"):
        from .web import app

        return getattr(app, name)
    if name in ("Config", "ConfigError", "load_config"):
        from . import config

        return getattr(config, name)
    raise AttributeError(name)
