"""Editorial checks: a mistake in a content file fails the build.

Pelican only warns and skips a file it cannot read. Editors are not
developers: a page that silently disappears, a field turned into body text or
a broken link is worse than a build that stops with a French message naming
the file, the line and the fix.

Modules:

* ``frontmatter``: the header read strictly, with line numbers (pure);
* ``fields``: the fields of each kind of content and their checks (pure);
* ``reader``: the Markdown reader that uses them (``read_metadata``: a
  refused file's header, for plugins that check more of its fields);
* ``prefetch``: a second process reads articles beside Pelican (cold builds);
* ``body``: the text's checks (control characters, headings, tables,
  reference links, unclosed comments, empty text) and ``textrules``: the
  header values' (titles, summaries, invisible characters, dates, Lang) (pure);
* ``mdext``: the Python-Markdown extension of MARKDOWN (Word bullets, lists,
  Markdown in block HTML, HTML comments removed);
* ``links``: links and images of the bodies (``content_object_init``), the
  form of each address judged first by ``linkforms`` (pure);
* ``checks``: checks over the whole build (misplaced files, explorer copies,
  tag spellings, shared addresses), then the report
  (``all_generators_finalized``, before anything is written);
* ``problems``: the problems of one build (kept in its settings) and the
  report's lines; ``sources``: a source file's bytes as every plugin reads
  them (``overlay``: the publisher's check of a push); ``logs``: no English line around them;
* ``python -m editorial``: a Pelican build that prints only the report.

Other plugins record their own problems with ``record_problem(settings,
path, field, message[, line])``.
"""

import os

from pelican import signals

from .checks import contents, fail_on_problems, ignored
from .fields import SLUG_RE, STATUSES, parse_strict_date
from .links import LINKS_KEY, check_draft_links, check_links, line_of, reset_links
from . import prefetch
from .logs import install as quiet_pelican
from .problems import (PROBLEMS_KEY, ContentError, FieldError, Refused, display_path,
                       problems_of, record_problem)
from .reader import EditorialMarkdownReader, add_reader, read_metadata
from .sources import overlay, source_text

__all__ = ["LINKS_KEY", "SLUG_RE", "STATUSES", "ContentError", "EditorialMarkdownReader",
           "FieldError", "Refused", "check_draft_links", "contents", "display_path", "ignored", "line_of",
           "overlay", "parse_strict_date",
           "problems_of", "read_metadata", "record_problem", "register", "source_text"]


def rules_digest(settings) -> str:
    """What the checks depend on: this package's code and the editorial settings."""
    import hashlib
    import json
    from pathlib import Path

    rules = [settings.get("EDITORIAL_CATEGORIES"),
             {k: sorted(v) for k, v in (settings.get("EDITORIAL_FIELDS") or {}).items()},
             settings.get("MARKDOWN")]
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    digest.update(json.dumps(rules, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def reset(pelican):
    from collections import defaultdict

    settings = pelican.settings
    settings[PROBLEMS_KEY] = defaultdict(list)
    reset_links(settings)
    quiet_pelican()
    # The checks run in the reader, and Pelican's content cache skips the
    # reader for unchanged files: a cache made under other rules must not be
    # trusted. One cache folder per set of rules.
    if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH"):
        settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"],
                                              "regles-" + rules_digest(settings))


def register():
    quiet_pelican()
    signals.initialized.connect(reset)
    signals.readers_init.connect(add_reader)
    signals.article_generator_init.connect(prefetch.start)
    signals.article_generator_pretaxonomy.connect(prefetch.stop)
    signals.content_object_init.connect(check_links)
    signals.all_generators_finalized.connect(fail_on_problems)
