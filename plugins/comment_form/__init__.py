"""The comment form component on the site (see ``comment_form.py``)."""

from .comment_form import add_component, copy_assets, register

__all__ = ["add_component", "copy_assets", "register"]
