"""Every default value of the comment settings, written once.

The service's configuration loader (``config.py``), the site settings
(``pelicanconf.py``, through the same loader), the moderation command line
(``__main__``), the comments plugin and the development launcher
(``python -m devserver``) all read these names: change a default here and it
changes everywhere. Environment variables override them; each one is
documented in docs/comment-service.md.

Plain constants only: no I/O, no imports from the rest of the package.
"""

from __future__ import annotations

# --- Where things are --------------------------------------------------------

#: The comment store (a folder, relative to the working directory): COMMENTS_STORE.
STORE = "var/comments"
#: The threads manifest's file name, written by the site build into its output.
THREADS_MANIFEST = "comment-threads.json"
#: Where the published site lives (``python -m release``): SITE_ROOT/releases/<id>/
#: and SITE_ROOT/current, the link nginx serves: SITE_ROOT.
SITE_ROOT = "var/site"
#: How many releases are kept for a rollback: RELEASES_KEEP.
RELEASES_KEEP = 5
#: Where the service reads the manifest, through the served link: COMMENTS_THREADS_FILE.
THREADS_FILE = SITE_ROOT + "/current/" + THREADS_MANIFEST
#: The public path of the service on the site (nginx proxies it): COMMENTS_PREFIX.
#: The site's form posts there too unless COMMENTS_SERVICE_URL says otherwise.
PREFIX = "/commentaires"
#: The site's public address in development (SITE_ABSOLUTE_URL, COMMENTS_SITE_URL).
DEV_HOST = "127.0.0.1"
DEV_PORT = 8000
SITE_URL = f"http://{DEV_HOST}:{DEV_PORT}"
#: The port of ``python -m comment_service serve`` (the service alone).
SERVE_PORT = 8001

# --- What a comment may be ---------------------------------------------------

#: Characters of a comment's text (counting rule in validation.py): COMMENTS_MAX_LENGTH.
MAX_LENGTH = 500
#: Characters of a name: COMMENTS_NAME_MAX.
NAME_MAX = 80
#: Bytes of a request body: COMMENTS_MAX_BODY.
MAX_BODY = 16 * 1024

# --- Moderation and contact --------------------------------------------------

#: "pre": read before publication; "auto": published at the next build.
MODERATION = "pre"
MODERATION_MODES = ("pre", "auto")
#: Offered to those who can use neither the captcha image nor its audio.
CONTACT_EMAIL = "contact@valdoise.fr"

# --- Abuse limits (COUNT/SECONDS) --------------------------------------------

RATE_LIMIT = "5/600"  # accepted comments per client
CAPTCHA_RATE_LIMIT = "60/600"  # new captchas per client
MEDIA_RATE_LIMIT = "120/600"  # captcha images and audio per client
MIN_FILL_SECONDS = 3.0  # a post sooner than this after the captcha is refused
CAPTCHA_TTL = 600  # seconds a captcha token lives
#: In COMMENTS_TRUSTED_PROXIES (default: none), the peer of gunicorn's Unix
#: socket (an empty REMOTE_ADDR): deploy/ lets only nginx's group open it.
UNIX_PEER = "unix"

# --- Personal data (python -m comment_service personal-data purge) -------

#: Days after its moderation (approval or rejection) that a comment keeps its
#: commenter's e-mail address: COMMENTS_EMAIL_RETENTION_DAYS (about 3 months).
EMAIL_RETENTION_DAYS = 90
#: Days after its rejection that a rejected comment is deleted:
#: COMMENTS_REJECTED_RETENTION_DAYS.
REJECTED_RETENTION_DAYS = 90
#: Days the moderators' audit log keeps an entry (security logging; it may name
#: a moderator's address): COMMENTS_AUDIT_RETENTION_DAYS.
AUDIT_RETENTION_DAYS = 365
#: Logs name a client by a short keyed hash unless this is on:
#: COMMENTS_LOG_CLIENT_ADDRESSES (on/off).
LOG_CLIENT_ADDRESSES = False

# --- Running mode ------------------------------------------------------------

ENVIRONMENTS = ("development", "production")
ENV = "development"
#: Used only in development; production refuses to start without a real secret.
DEV_SECRET = "dev-only-secret-do-not-use-in-production"
MIN_PRODUCTION_SECRET_LENGTH = 32
#: A production secret also needs this many distinct characters and this many
#: bits by a Shannon estimate (count of each character over the length).
MIN_SECRET_DISTINCT = 16
MIN_SECRET_BITS = 128
#: How to make one (said by the refusal and in docs/deployment.md).
SECRET_COMMAND = "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
#: The mode of the production entry point (comment_service.wsgi) when COMMENTS_ENV is unset.
WSGI_ENV = "production"

# --- Moderation console (issue 11; docs/moderation.md) -------------------------

#: The web console under <prefix>/moderation/: COMMENTS_MODERATION_CONSOLE (on/off).
MODERATION_CONSOLE = True
#: Its path under the service's prefix.
CONSOLE_PATH = "/moderation"
#: A session ends after this many seconds without a request: COMMENTS_SESSION_IDLE.
SESSION_IDLE = 30 * 60
#: ... and this long after the login whatever happens: COMMENTS_SESSION_MAX.
SESSION_MAX = 12 * 3600
#: Login attempts per account name, and per client address (COUNT/SECONDS).
LOGIN_RATE_LIMIT = "5/900"
LOGIN_ADDRESS_RATE_LIMIT = "20/900"
#: When the page shows a moderation change: "rebuild" (the development launcher
#: rebuilds within seconds) or "release" (the next publication of the site):
#: COMMENTS_PUBLICATION; the default follows COMMENTS_ENV.
PUBLICATION_MODES = ("rebuild", "release")
#: Moderator accounts, beside the store (file name).
MODERATORS_FILE = "moderators.json"
#: Characters of the Département's reply under a comment.
REPLY_MAX_LENGTH = 2000
#: Minimum length of a moderator's password.
PASSWORD_MIN_LENGTH = 12

# --- Notifications (python -m comment_service notify) ---------------------------

#: At most one mail per this many seconds: COMMENTS_NOTIFY_PERIOD.
NOTIFY_PERIOD = 3600
#: How often the notify loop looks at the store: COMMENTS_NOTIFY_POLL.
NOTIFY_POLL = 60
SMTP_PORT = 587
#: "starttls", "tls" (implicit, port 465) or "none" (a local relay only).
SMTP_SECURITY = "starttls"
SMTP_SECURITY_MODES = ("starttls", "tls", "none")

# --- Commenters' notifications (issue 25; docs/comment-service.md) -------------

#: Days after its moderation during which a comment's subscribed commenter can
#: still be mailed (the Département's reply window): past it, ``personal-data
#: purge`` removes the subscription and the comment's address:
#: COMMENTS_NOTIFY_WINDOW_DAYS.
NOTIFY_WINDOW_DAYS = 30
#: Days a confirmation link lives (an unconfirmed request is purged after it).
NOTIFY_CONFIRM_DAYS = 7
#: Days the personal link of a mail (rights page, unsubscribe) lives.
NOTIFY_LINK_DAYS = 60
#: Confirmation mails asked per client and per address (COUNT/SECONDS).
NOTIFY_CLIENT_RATE_LIMIT = "5/3600"
NOTIFY_ADDRESS_RATE_LIMIT = "3/86400"
#: The service's routes for commenters (under COMMENTS_PREFIX).
CONFIRM_PATH = "/confirmation"
RIGHTS_PATH = "/mon-commentaire"
UNSUBSCRIBE_PATH = "/desabonnement"

# --- Readers' reports (« Signaler ce commentaire », comment_service/reports/) -----

#: The service's route for a report (under COMMENTS_PREFIX): <path>/<comment id>.
REPORT_PATH = "/signaler"
#: Reports accepted per client (COUNT/SECONDS): COMMENTS_REPORT_RATE_LIMIT. The
#: first report of a client within this window needs no captcha; the next do.
REPORT_RATE_LIMIT = "5/3600"
#: Characters of a report's optional message.
REPORT_MESSAGE_MAX = 1000
#: A published comment with this many open reports is taken off its page (back
#: to the queue) until a moderator looks at it; 0 = never: COMMENTS_REPORTS_HIDE_AFTER.
REPORTS_HIDE_AFTER = 3
