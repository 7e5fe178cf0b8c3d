"""Development launcher: the whole site on one local address.

    python -m devserver [--host 127.0.0.1] [--port 8000] [--no-watch]

It does what nginx, gunicorn and a rebuild hook do in production, in one
process, with the standard library only (and watchfiles):

* starts the publisher (``python -m publisher --dev --settings
  pelicanconf.py``, a child process) and serves what it publishes: the
  ``current`` release under ``--output`` (default ``var/dev-site``);
* serves the static output, with the right content types (``.ics`` as
  ``text/calendar``) and the site's 404 page (``static.py``);
* mounts the comment service under its prefix (``/commentaires/``: same
  origin, so the form works without any CORS set-up), storing comments in
  the store of ``comment_service.defaults`` (``var/comments``) unless
  ``COMMENTS_STORE`` says otherwise;
* sends the site's Content-Security-Policy (no inline script or style,
  nothing from another origin: ``static.CONTENT_SECURITY_POLICY``, the same
  string as the production nginx example in docs/publishing.md) on every
  answer;
* the publisher republishes whenever content, the theme, the plugins, the
  comment-form component (``comment_service/form``), the settings, the
  *approved* comments or the replies change; a comment change re-renders only
  the pages that show it (docs/publishing.md): approve a comment with
  ``python -m comment_service approve ID`` and reload the page.

Development only: production serves the ``current`` release with nginx and runs the
service under gunicorn (see the README). It is not part of the comment
service: it uses the service (its WSGI app, its loader, its store's API and
its small threaded server, ``comment_service.web.devhttp``) as any host would.
"""

from .static import (CONTENT_SECURITY_POLICY, CONTENT_TYPES, Mount, SecurityHeaders, StaticSite,
                     content_type)

__all__ = ["CONTENT_SECURITY_POLICY", "CONTENT_TYPES", "Mount", "SecurityHeaders", "StaticSite",
           "content_type"]
