"""Shared by the quality checks (tests/quality: the built site;
tests/browser/quality: the live site in Chromium): tool locations, the
missing-tool rule, axe-core and the Nu HTML Checker.

Tools: axe-core and vnu-jar from npm (pinned in package.json and
package-lock.json, installed by `make test` with `npm ci --ignore-scripts`),
Java for vnu.jar (Debian default-jre-headless), Debian's Chromium. A missing
tool skips the check on a developer's machine and fails it under CI
(CI=true): a green run must mean the checks ran.

``run_axe`` and ``run_vnu`` tell ``autocheck_record`` what they checked:
`make a11y-report` records it for the accessibility statement.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from autocheck_record import note
from support import ROOT, missing

NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing_tool(what: str) -> None:
    missing(f"{what} is missing: `make test` installs it")


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        missing_tool("npm axe-core (node_modules/axe-core)")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        missing_tool("Java (Debian default-jre-headless)")
    if not VNU_JAR.is_file():
        missing_tool("npm vnu-jar (node_modules/vnu-jar)")
    return [java, "-jar", str(VNU_JAR)]


def run_axe(page, axe_path: Path) -> list[dict]:
    """axe-core on the page as it is now; the WCAG 2.0/2.1 A and AA rules."""
    page.add_script_tag(path=str(axe_path))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)
            }));
        }""", WCAG_TAGS)
    note("axe", 1, len(violations))
    return violations


def assert_no_violations(violations: list[dict], where: str) -> None:
    assert violations == [], f"{where}: " + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations)


def run_vnu(vnu: list[str], *targets: Path) -> list[dict]:
    """The errors vnu reports on HTML files and folders."""
    result = subprocess.run(
        [*vnu, "--format", "json", "--stdout", "--exit-zero-always", "--skip-non-html",
         *map(str, targets)],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    note("vnu", sum(len(list(t.rglob("*.html"))) if t.is_dir() else 1 for t in targets),
         len(errors))
    return errors


def describe_vnu(errors: list[dict], root: Path) -> str:
    return "\n".join(
        f"{m.get('url', '').replace(root.as_uri(), '')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in errors[:30])
