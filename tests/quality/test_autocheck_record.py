"""`make a11y-report`'s recording plugin (autocheck_record.py): a real pytest
run counts the marked checks per tool, adds what run_axe / run_vnu found,
and writes a record the statement's plugin reads back, with the fingerprint
of the project's sources."""

from __future__ import annotations

import os
import subprocess
import sys

import autocheck_record
from accessibility import autochecks
from qualitylib import run_vnu
from support import ROOT

CHECKS = '''
import pytest
from autocheck_record import note

@pytest.mark.autocheck("axe")
def test_axe_clean():
    note("axe", 1, 0)

@pytest.mark.autocheck("axe")
def test_axe_finds_three():
    note("axe", 1, 3)
    assert False, "three violations"

@pytest.mark.autocheck("vnu")
def test_vnu_whole_output():
    note("vnu", 40, 0)

def test_vnu_harness_is_not_counted():
    note("vnu", 1, 2)

@pytest.mark.autocheck("keyboard")
def test_keyboard():
    pass

@pytest.mark.autocheck("reflow")
def test_reflow():
    pytest.skip("no browser")
'''


def test_a_run_writes_the_figures_of_the_marked_checks(tmp_path):
    (tmp_path / "test_checks.py").write_text(CHECKS, encoding="utf-8")
    record = tmp_path / "record.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        str(ROOT / p) for p in ("plugins", "tests", "tests/quality")))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "autocheck_record", f"--autocheck-record={record}",
         "-m", "autocheck", "-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(tmp_path),
         "-q", "test_checks.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 1, result.stdout + result.stderr  # one check failed
    assert "autocheck record written" in result.stdout
    found = autochecks.parse(record.read_text(encoding="utf-8"))
    tools = found["tools"]
    assert {k: tools["axe"][k] for k in ("tests", "passed", "failed", "pages", "errors")} == \
        {"tests": 2, "passed": 1, "failed": 1, "pages": 2, "errors": 3}
    assert (tools["vnu"]["pages"], tools["vnu"]["errors"], tools["vnu"]["tests"]) == (40, 0, 1)
    assert (tools["keyboard"]["passed"], tools["reflow"]["skipped"]) == (1, 1)
    assert tools["axe"]["version"] == autocheck_record.npm_version("axe-core")
    assert found["fingerprint"] == autocheck_record.sources()[1]


def test_run_vnu_tells_the_recorder_what_it_checked(vnu, tmp_path):
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>t</title></head>'
        '<body><p><div>x</div></p></body></html>', encoding="utf-8")
    errors = run_vnu(vnu, tmp_path)
    assert errors and autocheck_record._NOTES[-1] == ("vnu", 1, len(errors))


def test_make_a11y_report_records_the_site_checks_and_no_harness():
    """The Makefile's list of check files, collected as `make a11y-report`
    does: the four tools are there; the harness tests, which check a
    known-bad page on purpose, are not counted."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    files = next(line for line in makefile.splitlines()
                 if line.startswith("A11Y_CHECKS :=")).split(":=", 1)[1].split()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "autocheck", *files],
        cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    ids = [line for line in result.stdout.splitlines() if "::" in line]
    assert not [i for i in ids if "harness" in i], ids
    for name in ("test_page_has_no_axe_violation", "test_whole_production_output_is_valid_html",
                 "test_live_pages_are_valid_html", "test_skip_link_is_first_and_visible_on_focus",
                 "test_pages_reflow_without_horizontal_scrolling"):
        assert any(name in i for i in ids), name
