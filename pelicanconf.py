"""Development settings for the Val-d'Oise site (Pelican's convention).

Settings only: behaviour lives in ``plugins/``. ``publishconf.py`` imports this
file and overrides what changes in production.
"""

import os

from jinja2 import StrictUndefined

from comment_service import defaults
from comment_service.config import load_shared

AUTHOR = "Département du Val-d'Oise"
SITENAME = "Département du Val-d'Oise"
SITESUBTITLE = "Actualités et agenda du Département"
# Empty in development: links are root-relative ("/2014/06/12/…/") so the
# site works on any local host and port. Production sets the real address.
SITEURL = ""
# Absolute address used where a full URL is required (feeds and sitemap.xml
# through plugins/absolute_urls, iCalendar, canonical links, the
# comment service's redirects). Overridable for tests and other ports.
SITE_ABSOLUTE_URL = os.environ.get("SITE_ABSOLUTE_URL", defaults.SITE_URL)
# The public address (production's SITEURL by default, publishconf.py).
# Links an editor writes to it (http or https, with or without www) are
# checked like internal links in every build (plugins/linkcheck).
SITE_PUBLIC_URL = "https://www.valdoise.fr"
FEED_DOMAIN = SITE_ABSOLUTE_URL

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "media", "documents", "extra/favicon.ico"]
# Never read nor published: the files an operating system leaves in folders
# (Windows' thumbnails and folder settings, macOS's folder data, every hidden
# file) and editors' backups and lock files (Emacs, Vim, gedit, Word,
# LibreOffice); plugins/editorial refuses any other file that is in no
# published folder.
IGNORE_FILES = ["**/.*", ".*", "Thumbs.db", "thumbs.db", "desktop.ini", "Desktop.ini",
                "ehthumbs.db", "Icon\r", ".#*", "*~", "*.swp", "*.swo", "~$*", ".~lock.*#"]
EXTRA_PATH_METADATA = {
    "extra/favicon.ico": {"path": "favicon.ico"},
}
# Rendered with the theme's Jinja environment (absolute sitemap address).
TEMPLATE_PAGES = {
    "extra/robots.txt": "robots.txt",
}

TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
# Dates are formatted by Babel (plugins/french), never by the system locale:
# a fresh machine has no fr_FR locale.
LOCALE = ("C.UTF-8", "C")
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Markdown only: the editorial checks are written for it (plugins/editorial
# refuses other files in the content folders).
READERS = {"rst": None, "html": None, "htm": None}

THEME = "theme"
THEME_STATIC_DIR = "theme"

PLUGIN_PATHS = ["plugins"]
# Explicit list: no installed plugin switches itself on.
PLUGINS = [
    "htmlpolicy",  # before editorial: it records problems editorial reports
    "expiry",  # Expire: leaves the site on time; before editorial, as htmlpolicy
    "editorial",
    "media",  # before typography: its components' words get French spaces too
    "typography",
    "accessibility",  # after editorial and typography: the statement, checked and typeset
    "easyread",  # the « Facile: » field links a text and its easy-to-read version
    "legal",  # after typography too: the mentions légales refused without their settings (below)
    "french",
    "navigation",
    "addresses",  # each address computed once, after every plugin's page data
    "schedule",  # a future-dated article waits for its date (SCHEDULE_NOW)
    "comments",
    "comment_form",
    "events",
    "images",
    "documents",  # after images: a document link's format and size
    "seo",
    "search",
    "opendata",
    "siteplan",  # after every generator of pages: the « Plan du site » lists them
    "absolute_urls",  # before sitemap: feeds and sitemap.xml get absolute addresses
    "pelican.plugins.sitemap",
    "linkcheck",  # last: checks the whole output, sitemap and feeds included
]

# Templates that use an unknown variable fail the build instead of printing
# nothing (or a raw placeholder). Optional values are tested with `is defined`.
# Autoescaping is on everywhere: editor-written HTML (content, summaries) is
# marked `|safe` explicitly in the theme; anything else is escaped.
JINJA_ENVIRONMENT = {
    "undefined": StrictUndefined,
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
}

MARKDOWN = {
    "extension_configs": {
        # Footnotes: the back-link's title is read aloud and shown on hover.
        "markdown.extensions.extra": {
            "footnotes": {"BACKLINK_TITLE": "Revenir à l’appel de la note %d dans le texte"},
        },
        "markdown.extensions.meta": {},
        # Word bullets, lists after a paragraph, 2-space sub-lists, Markdown in
        # <div>/<figure>, HTML comments removed (plugins/editorial/mdext.py).
        "editorial.mdext": {},
    },
    "output_format": "html5",
}

# URLs: French words, "pretty" folders.
ARTICLE_URL = "{date:%Y/%m/%d}/{slug}/"  # one strftime call, not three
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "categorie/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAG_URL = "etiquette/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_SAVE_AS = "etiquettes/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_URL = "brouillons/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
SLUGIFY_SOURCE = "title"
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives"]

DEFAULT_PAGINATION = 6
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: Atom only (all articles, one per category).
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/categorie/{slug}.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = True

SITEMAP = {
    "format": "xml",
    "exclude": [r"^brouillons/"],
}

# Editorial rules (plugins/editorial): the build fails when content breaks them.
EDITORIAL_CATEGORIES = [
    "Innovation publique",
    "Solidarités",
    "Culture et patrimoine",
    "Environnement",
    "Routes et mobilités",
    "Collèges et jeunesse",
    "Institution",
]

MENUITEMS = [
    ("Actualités", "/"),
    ("Archives", "/archives/"),
]
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# Pelican's content cache speeds up rebuilds while editing.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"

DELETE_OUTPUT_DIRECTORY = False
TYPOGRIFY = False

# --- Events (plugins/events) ---------------------------------------------
# Events are Markdown files in content/events/ (their fields: the section
# "Ajouter un événement à l'agenda" of docs/guide-redaction.md). The plugin
# declares their fields to the editorial checks and holds the defaults of its
# settings (plugins/events/generator.py, DEFAULTS): EVENT_PATHS ["events"],
# EVENT_URL "agenda/{slug}/", EVENTS_AGENDA_URL "agenda/", EVENTS_PAST_URL
# "agenda/passes/", EVENTS_FEED_URL "agenda/agenda.ics" (a subscribable
# iCalendar feed; each event also has its .ics), EVENTS_CALENDAR_NAME,
# EVENTS_HOME_COUNT 3, and EVENTS_TODAY: what is "upcoming" (events whose end
# has not passed at the start of this day); None = the build date
# (Europe/Paris); fix it ("2026-11-26") for reproducible builds, here or with
# the EVENTS_TODAY environment variable; EVENTS_COMMENTS_CLOSE_AFTER 30: comments
# on an event close that many days after it ends (None: never; what was
# published stays). Override any of them here.

# --- Comments (plugins/comments) -----------------------------------------
# Read by the comment service's own loader (comment_service/config.py, the
# defaults in comment_service/defaults.py), so that the site and the service
# agree; the same environment variables override them for both.
_comments = load_shared()
# The service's store: the build reads the approved comments from it.
COMMENTS_STORE = str(_comments.store)
# Where the form posts: the service's prefix (COMMENTS_PREFIX) on the same
# origin by default (nginx proxies it to the service); COMMENTS_SERVICE_URL
# may name another origin (the service answers CORS).
COMMENTS_SERVICE_URL = _comments.service_url
# « Signaler ce commentaire » under each published comment: the service's page
# (comment_service/reports/), followed by the comment id.
COMMENTS_REPORT_URL = _comments.service_url + defaults.REPORT_PATH
COMMENTS_MAX_LENGTH = _comments.max_length
COMMENTS_NAME_MAX = _comments.name_max
# The moderation mode ("pre" or "auto"): the form's notice and confirmation
# say when a comment appears.
COMMENTS_MODERATION = _comments.moderation
COMMENTS_CONTACT_EMAIL = _comments.contact_email
# Written into the output; the service reads it (COMMENTS_THREADS_FILE).
COMMENTS_MANIFEST = defaults.THREADS_MANIFEST

# --- Search, sharing, images (plugins/search, plugins/seo, plugins/images) -
# Full-text search: Pagefind indexes the output at the end of every build
# (only the content marked data-pagefind-body: articles, events, pages) into
# SEARCH_BUNDLE_DIR; the search page loads it in the browser. The plugin
# holds the defaults (plugins/search/search.py): SEARCH_INDEX True,
# SEARCH_BUNDLE_DIR "pagefind".
SEARCH_URL = "recherche/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "search"]
# Canonical URLs, Open Graph and JSON-LD use SITE_ABSOLUTE_URL (SITEURL in
# production: publishconf.py). Open Graph locale and Twitter card type:
OG_LOCALE = "fr_FR"
# The sitemap lists pages, the very URLs given as canonical: not robots.txt.
SITEMAP = {**SITEMAP, "exclude": [*SITEMAP["exclude"], r"^robots\.txt$"]}
TWITTER_CARD = "summary"

# --- Public body's duties (plugins/accessibility, plugins/siteplan, plugins/legal)
# The accessibility statement is data: content/data/accessibilite.toml
# (ACCESSIBILITY_STATEMENT, relative to the content folder); the footer shows
# « Accessibilité : <état> » and « Plan du site » (SITEPLAN_URL "plan-du-site/")
# on every page. ACCESSIBILITY_TODAY fixes the day of the renewal warning.
# ACCESSIBILITY_CHECKS (default data/verifications-automatiques.json, written
# by `make a11y-report`): the automated checks' figures, shown while the
# sources are the ones checked (plugins/accessibility/autochecks.py).
# Mentions légales (LCEN art. 6): the build refuses the page without these.
LEGAL_PUBLISHER = ("Département du Val-d’Oise, Hôtel du Département, 2 avenue du Parc, "
                   "CS 20201 Cergy, 95032 Cergy-Pontoise Cedex ; téléphone : 01 34 25 30 30")
LEGAL_DIRECTOR = "la présidente ou le président du Conseil départemental"
# Sample values: the operator names the real host before going live.
LEGAL_HOST = "Département du Val-d’Oise, direction du numérique (exemple)"
LEGAL_HOST_ADDRESS = "2 avenue du Parc, CS 20201 Cergy, 95032 Cergy-Pontoise Cedex ; téléphone : 01 34 25 30 30"
LEGAL_DATA_CONTACT = "dpo@valdoise.fr"
# Easy-to-read versions (plugins/easyread): the « Facile: » field. No FALC
# logo unless the texts were labelled: then the logo's path under the output.
EASY_TO_READ_LOGO = None
