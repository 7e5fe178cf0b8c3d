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

import os
import shutil

from jinja2 import ChoiceLoader

from comment_service import accessibility


def add_component(generator) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.loader = ChoiceLoader([env.loader, accessibility.loader()])
    env.globals.update(accessibility.template_globals())
    env.globals["ACCESSIBILITY_REQUEST_MAX"] = accessibility.TEXT_MAX


def copy_assets(pelican) -> list[str]:
    target = os.path.join(pelican.output_path, pelican.settings["THEME_STATIC_DIR"], accessibility.ASSET_FOLDER)
    os.makedirs(target, exist_ok=True)
    copied = []
    for name in accessibility.ASSETS:
        shutil.copyfile(accessibility.FOLDER / name, os.path.join(target, name))
        copied.append(os.path.join(target, name))
    return copied
