"""`make a11y-report`: run the accessibility checks of the tests and record
their figures for the statement (plugins/accessibility/autochecks.py).

A pytest plugin, active with ``-p autocheck_record --autocheck-record``. The
tests marked ``autocheck("axe" | "vnu" | "keyboard" | "reflow")`` are
counted (passed, failed, skipped); ``run_axe`` and ``run_vnu``
(qualitylib) call ``note`` with the pages they checked and what they found.
At the end, the record is written into the content folder (the path of the
settings' ACCESSIBILITY_CHECKS) with the fingerprint of the sources the
checks saw; when the sources changed during the run, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support import ROOT

_NOTES: list[tuple[str, int, int]] = []
TOOL_PACKAGES = {"axe": "axe-core", "vnu": "vnu-jar"}


def note(tool: str, pages: int, errors: int) -> None:
    """Called by the checking helpers: one run of `tool` over `pages`."""
    _NOTES.append((tool, pages, errors))


def pytest_addoption(parser):
    parser.addoption("--autocheck-record", nargs="?", const="", default=None, metavar="PATH",
                     help="write the accessibility checks' record for the statement (into "
                          "PATH, default: the settings' ACCESSIBILITY_CHECKS in the content folder)")


def pytest_configure(config):
    target = config.getoption("autocheck_record")
    if target is not None:
        config.pluginmanager.register(Recorder(target), "autocheck-recorder")


def sources():
    """The project's settings and the fingerprint of the sources they build."""
    from pelican.settings import read_settings

    from accessibility import autochecks

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return settings, autochecks.sources_fingerprint(settings)


def npm_version(package: str) -> str:
    try:
        return json.loads((ROOT / "node_modules" / package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def tool_of(item) -> str | None:
    mark = item.get_closest_marker("autocheck")
    return mark.args[0] if mark else None


class Recorder:
    def __init__(self, target: str = ""):
        self.target = target
        self.settings, self.fingerprint = sources()
        self.tool = {}
        self.outcome = {}
        self.found = {name: Counter() for name in TOOL_PACKAGES}
        self.chromium = "?"

    def pytest_collection_finish(self, session):
        self.tool = {item.nodeid: tool_of(item) for item in session.items if tool_of(item)}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        start = len(_NOTES)
        yield
        tool = self.tool.get(item.nodeid)
        for noted, pages, errors in _NOTES[start:]:
            if noted == tool and tool in self.found:
                self.found[tool].update(pages=pages, errors=errors)
        browser = item.funcargs.get("browser") or getattr(
            getattr(item.funcargs.get("page"), "context", None), "browser", None)
        if browser is not None:
            self.chromium = browser.version

    def pytest_runtest_logreport(self, report):
        if report.nodeid not in self.tool:
            return
        if report.failed:
            self.outcome[report.nodeid] = "failed"
        elif report.skipped:
            self.outcome.setdefault(report.nodeid, "skipped")
        elif report.when == "call":
            self.outcome.setdefault(report.nodeid, "passed")

    def figures(self) -> dict:
        tools = {}
        for name in ("axe", "vnu", "keyboard", "reflow"):
            ids = [n for n, t in self.tool.items() if t == name]
            counts = Counter(self.outcome.get(n, "skipped") for n in ids)
            version = npm_version(TOOL_PACKAGES[name]) if name in TOOL_PACKAGES else self.chromium
            tools[name] = {"version": version, "tests": len(ids), "passed": counts["passed"],
                           "failed": counts["failed"], "skipped": counts["skipped"]}
            if name in self.found:
                tools[name].update(pages=self.found[name]["pages"],
                                   errors=self.found[name]["errors"])
        return tools

    def pytest_sessionfinish(self, session):
        from accessibility import autochecks

        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        say = reporter.write_line if reporter else print
        if sources()[1] != self.fingerprint:
            say("autocheck record NOT written: content, theme or plugins changed during the run")
            return
        path = Path(self.target) if self.target else autochecks.record_path(self.settings)
        when = dt.datetime.now(ZoneInfo(self.settings.get("TIMEZONE") or "Europe/Paris"))
        path.write_text(autochecks.dump(self.fingerprint, when, self.figures()), encoding="utf-8")
        say(f"autocheck record written: {path}")
