"""Put the comment form component (``comment_service/form/``) on the site.

The component is one folder shared with the comment service, which renders
the same template on its no-JavaScript page. This plugin:

* registers the folder with every generator's Jinja environment under the
  prefix ``comment-form/`` (``{% from "comment-form/template.html" import
  comment_form %}``), with the names the template needs (the text catalogue
  ``comment_service.rules.messages`` as ``comment_messages``, and a few helpers);
* copies the component's CSS and JS into
  ``<output>/<THEME_STATIC_DIR>/comment-form/`` after every build.

Signals: ``generator_init``, ``finalized``. No settings of its own; no state
kept between builds.
"""

from __future__ import annotations

from pelican import signals

from comment_service import form
from sitekit.components import add_templates
from sitekit.components import copy_assets as copy_component_assets


def add_component(generator) -> None:
    """Let this generator's templates include the component."""
    add_templates(generator, form.loader(), form.template_globals())


def copy_assets(pelican) -> list[str]:
    """Copy comment-form.css and comment-form.js into the theme's output folder."""
    return copy_component_assets(pelican, form.FOLDER, form.ASSET_FOLDER, form.ASSETS)


def register():
    signals.generator_init.connect(add_component)
    signals.finalized.connect(copy_assets)
