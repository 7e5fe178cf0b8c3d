"""The comment service stays in small rooms: no module over 350 lines, no
function over 60 (issue 9: Isso's single large views module is the shape to avoid)."""

from __future__ import annotations

import ast
from pathlib import Path

import comment_service

PACKAGE = Path(comment_service.__file__).resolve().parent
MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 60


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "data" not in p.relative_to(PACKAGE).parts)


def test_modules_are_small():
    too_long = {str(p.relative_to(PACKAGE)): n for p in _modules()
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert too_long == {}


def test_functions_are_small():
    too_long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long[f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"] = length
    assert too_long == {}


def test_the_decision_knows_nothing_of_wsgi():
    source = (PACKAGE / "decision.py").read_text(encoding="utf-8")
    for word in ("environ", "start_response", "Response", "json_response", "wsgi"):
        assert word not in source, word
