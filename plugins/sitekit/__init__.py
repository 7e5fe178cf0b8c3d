"""Small helpers shared by the site's plugins (not a plugin itself).

Plugins import these instead of each other's internals:

* ``html_to_text(markup)``: the plain text of editor HTML, paragraphs kept
  apart (iCalendar descriptions, structured data);
* ``script_safe_json(data)``: JSON that cannot close or confuse a
  ``<script>`` element (JSON-LD);
* ``absolute_base(settings)``: the site's absolute address without a final
  slash (``SITE_ABSOLUTE_URL``, else ``SITEURL``);
* ``content_link(value)``: a content link without Pelican's ``{static}``,
  ``{attach}`` or ``{filename}`` prefix (``LINK_PREFIX_RE``);
* ``sitekit.files.write_atomically(path, data)``: a build's own file replaced
  in one rename (threads manifest, open data);
* ``sitekit.jobs``: external programs run on a build's output beside the
  build (``start``), awaited by whoever needs it complete (``finish``);
* ``sitekit.clock``: the build's "now" (``SCHEDULE_NOW``), for the plugins
  that hold or remove content on time (``parse_now``, ``build_now``);
* ``sitekit.dates``: French dates through Babel (``date_fr``, ``day_fr``,
  ``time_fr``, ``datetime_fr``, ``isodate``), the french plugin's filters;
* ``sitekit.share.share_image(settings, value)``: the absolute address of an
  ``Image:`` (articles, events), or the French problem;
* ``sitekit.components``: a folder shared with the comment service (its
  templates in a generator's Jinja environment, its assets copied into the
  output), for the comment form and the accessibility request form;
* ``sitekit.gone``: the 410 markers of withdrawn contents (``is_gone``);
* ``WAITING_KEY``: the build setting where plugins/schedule leaves what waits
  (scheduled articles, drafts: French lines) for the command that ran the build.

Pure functions (but ``files``, ``jobs``, ``components`` and ``gone``), no Pelican import, no state (beyond a memo of formatted dates). Installed with the project
(pyproject.toml) so that ``import sitekit`` works under ``pelican`` as in the
tests.
"""

from .text import LINK_PREFIX_RE, absolute_base, content_link, html_to_text, script_safe_json

WAITING_KEY = "_SCHEDULE_WAITING"

__all__ = ["LINK_PREFIX_RE", "WAITING_KEY", "absolute_base", "content_link", "html_to_text",
           "script_safe_json"]
