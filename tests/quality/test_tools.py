"""The npm tools are pinned, and the tests install only what they use."""

from __future__ import annotations

import json

from support import ROOT


def _pins(folder):
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((folder / "package-lock.json").read_text(encoding="utf-8"))
    pins = package["devDependencies"]
    assert lock["packages"][""]["devDependencies"] == pins, "lockfile out of date: npm install"
    for name, version in pins.items():
        assert version[0].isdigit(), f"{name} must be pinned to one version, not {version!r}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    return pins, lock


def test_the_tests_install_only_axe_core_and_the_html_checker():
    pins, lock = _pins(ROOT)
    assert pins == {"axe-core": "4.14.1", "vnu-jar": "26.9.27"}
    assert not any("lighthouse" in name for name in lock["packages"])


def test_lighthouse_is_for_the_benchmarks_only():
    pins, _ = _pins(ROOT / "benchmarks")
    assert pins == {"lighthouse": "12.2.3"}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "bench: bench-deps" in makefile and "bench-deps: test-deps bench-node-tools" in makefile
    test_deps = next(line for line in makefile.splitlines() if line.startswith("test-deps:"))
    assert "node-tools" in test_deps and "bench" not in test_deps
