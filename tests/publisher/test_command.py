"""`python -m publisher` as the operator and systemd run it."""

from __future__ import annotations

import subprocess
import sys

from publib import sandbox

from support import ROOT


def publisher(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publisher", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_once_publishes_a_release_and_exits(tmp_path):
    box = sandbox(tmp_path)
    proc = publisher("--settings", str(box.settings), "--root", str(box.root),
                     "--content", str(box.content), "--once")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "nouvelle release" in proc.stdout
    assert (box.current / "index.html").is_file()
    assert (box.root / ".publisher-status").read_text().startswith("ok ")


def test_a_refused_build_changes_nothing_and_says_why(tmp_path):
    box = sandbox(tmp_path)
    broken = box.content / "articles" / "casse.md"
    broken.write_text("Title: Sans date ni catégorie\n\nTexte.\n", encoding="utf-8")
    proc = publisher("--settings", str(box.settings), "--root", str(box.root),
                     "--content", str(box.content), "--once")
    assert proc.returncode == 1
    assert "publication refusée : le site en ligne n'a pas changé" in proc.stdout
    assert "casse.md" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr
    assert not (box.root / "current").exists()


def test_bad_settings_are_a_message_not_a_traceback(tmp_path):
    proc = publisher("--settings", str(tmp_path / "absent.py"), "--once")
    assert proc.returncode == 2
    assert "fichier de réglages introuvable" in proc.stderr and "Traceback" not in proc.stderr
    assert "--settings" in publisher("--help").stdout
