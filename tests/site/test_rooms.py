"""Plugins do not reach into each other's internals.

A plugin may import the shared helpers (``sitekit``), the comment store's
API and defaults (``comment_service``), and the names the editorial plugin
offers to the others in its ``__all__`` (``record_problem``, ``FieldError``...):
never another plugin's modules.
"""

from __future__ import annotations

import ast
import importlib

import pytest

from support import ROOT

PLUGINS = ROOT / "plugins"
PLUGIN_NAMES = {p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file()} - {"sitekit"}
# Plugins whose public names (their __all__) others may import.
OFFERED = {"editorial"}


def imports_of(path):
    """(module, names) for every absolute import of a file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, tuple(alias.name for alias in node.names)


@pytest.mark.parametrize("plugin", sorted(PLUGIN_NAMES | {"sitekit"}))
def test_a_plugin_uses_only_the_shared_helpers_and_offered_names(plugin):
    wrong = []
    for path in sorted((PLUGINS / plugin).rglob("*.py")):
        for module, names in imports_of(path):
            top = module.split(".")[0]
            if top not in PLUGIN_NAMES or top == plugin:
                continue
            offered = set(getattr(importlib.import_module(top), "__all__", ()))
            if top not in OFFERED or module != top or not set(names) <= offered:
                wrong.append(f"{path.relative_to(ROOT)}: from {module} import {', '.join(names)}")
    assert not wrong, wrong


def test_the_shared_helpers_import_no_plugin_and_not_pelican():
    for path in sorted((PLUGINS / "sitekit").rglob("*.py")):
        tops = {module.split(".")[0] for module, _ in imports_of(path)}
        assert not tops & (PLUGIN_NAMES | {"pelican"}), path
