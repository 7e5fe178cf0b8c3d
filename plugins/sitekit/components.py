"""A folder of templates and assets shared with the comment service, put on the site.

The comment form (``comment_service/form/``) and the accessibility request
form (``comment_service/accessibility/``) are each one folder that the service
renders too. Their plugins call ``add_templates`` at ``generator_init`` (the
folder's loader and the names its templates need, in that generator's Jinja
environment) and ``copy_assets`` at ``finalized`` (its CSS/JS into
``<output>/<THEME_STATIC_DIR>/<asset folder>/``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader


def add_templates(generator, loader: BaseLoader, names: dict) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    env.loader = ChoiceLoader([env.loader, loader])
    env.globals.update(names)


def copy_assets(pelican, folder: Path, asset_folder: str, assets: tuple[str, ...]) -> list[str]:
    """Copy ``assets`` from ``folder``; the paths written."""
    target = os.path.join(pelican.output_path, pelican.settings["THEME_STATIC_DIR"], asset_folder)
    os.makedirs(target, exist_ok=True)
    copied = []
    for name in assets:
        destination = os.path.join(target, name)
        shutil.copyfile(folder / name, destination)
        copied.append(destination)
    return copied
