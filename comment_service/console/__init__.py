"""The moderation console: a small web interface under ``<prefix>/moderation/``,
served by the same WSGI application (docs/moderation.md).

- ``routes``: ``Console``, the pages and who may see them;
- ``auth``: login (throttled through the guard), logout, the second factor;
- ``actions``: moderation changes through the store, one audit line each;
- ``replying``: the Département's reply under a comment;
- ``views``: view models, dates in French, search and pagination;
- ``sessions``: server-side sessions (SQLite beside the store);
- ``csrf``: the token every POST carries;
- ``accounts``: moderator accounts (Argon2id hashes, optional TOTP);
- ``web``: URLs, the cookie, form bodies, response headers;
- ``texts``: every French sentence of the console.

Templates: ``comment_service/templates/console/`` (they extend the service's
``layout.html``); stylesheet: ``console.css`` beside this file.
"""

from .routes import Console

__all__ = ["Console"]
