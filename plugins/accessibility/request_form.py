"""The accessibility request form on the statement page (comment_service/accessibility/).

Like the comment form (plugins/comment_form): the component's folder is
registered with every generator's Jinja environment under the prefix
``accessibility-form/`` (the form, and ``recourse.html``: the Défenseur des
droits' routes, written once in ``comment_service/accessibility/recourse.py``),
with the names it needs; its script is copied into
``<output>/<THEME_STATIC_DIR>/accessibility-form/`` after every build.
``ACCESSIBILITY_REQUEST_MAX``: the description's maximum length (the service's).
"""

from __future__ import annotations

from comment_service import accessibility
from sitekit.components import add_templates
from sitekit.components import copy_assets as copy_component_assets


def add_component(generator) -> None:
    add_templates(generator, accessibility.loader(),
                  {**accessibility.template_globals(), "ACCESSIBILITY_REQUEST_MAX": accessibility.TEXT_MAX})


def copy_assets(pelican) -> list[str]:
    return copy_component_assets(pelican, accessibility.FOLDER, accessibility.ASSET_FOLDER, accessibility.ASSETS)
