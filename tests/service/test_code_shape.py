"""The comment service stays in small rooms: no module over 350 lines, no
function over 60 (issue 9: Isso's single large views module is the shape to avoid),
its top level holds only the entry points and the rooms (issue 21), and the core
rooms never reach up into the web path, the console or the operators' commands."""

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
    source = (PACKAGE / "web" / "decision.py").read_text(encoding="utf-8")
    for word in ("environ", "start_response", "Response", "json_response", "wsgi"):
        assert word not in source, word


ENTRY_POINTS = {"__init__.py", "__main__.py", "config.py", "defaults.py", "wsgi.py"}
CORE_ROOMS = ("rules", "captcha", "store", "guard")
UPPER_ROOMS = ("web", "console", "ops", "commenters", "form")


def test_top_level_holds_only_entry_points_and_rooms():
    loose = {p.name for p in PACKAGE.glob("*.py")} - ENTRY_POINTS
    assert loose == set()
    for room in ("web", "captcha", "rules", "guard", "ops", "store", "console", "commenters", "form"):
        assert (PACKAGE / room / "__init__.py").read_text(encoding="utf-8").startswith('"""'), room


def _imported(path: Path) -> set[str]:
    """Dotted names of the comment_service modules a file imports (relative ones resolved)."""
    package = list(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n for n in names if n.startswith("comment_service")}


def test_core_rooms_do_not_reach_up():
    reaching = {}
    for room in CORE_ROOMS:
        for path in (PACKAGE / room).rglob("*.py"):
            if "data" in path.relative_to(PACKAGE).parts:
                continue
            up = {n for n in _imported(path) if n.split(".")[1:2] and n.split(".")[1] in UPPER_ROOMS}
            if up:
                reaching[str(path.relative_to(PACKAGE))] = sorted(up)
    assert reaching == {}
