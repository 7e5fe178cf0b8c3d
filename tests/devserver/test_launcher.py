"""The launcher's own place: `python -m devserver`, outside the comment service."""

from __future__ import annotations

import re
import subprocess
import sys

from comment_service import defaults
from support import ROOT


def test_the_launcher_runs_as_its_own_package():
    proc = subprocess.run([sys.executable, "-m", "devserver", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "python -m devserver" in proc.stdout and "--no-watch" in proc.stdout
    assert not (ROOT / "comment_service" / "devserver.py").exists()


def test_the_launcher_defaults_are_the_shared_ones(monkeypatch):
    import devserver.__main__ as launcher

    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    args = launcher.parse_args([])
    assert (args.host, args.port) == (defaults.DEV_HOST, defaults.DEV_PORT)
    assert f"http://{args.host}:{args.port}" == defaults.SITE_URL
    monkeypatch.setenv("PORT", "8123")
    assert launcher.parse_args([]).port == 8123


def test_the_comment_service_never_imports_the_launcher_or_pelican():
    imports = re.compile(r"^\s*(?:from|import)\s+(devserver|pelican)\b", re.MULTILINE)
    found = [(str(path.relative_to(ROOT)), match.group(1))
             for path in sorted((ROOT / "comment_service").rglob("*.py"))
             for match in imports.finditer(path.read_text(encoding="utf-8"))]
    assert not found


def test_bad_port_or_busy_address_is_a_message_not_a_traceback(tmp_path):
    import socket

    env = {"PATH": "/usr/bin:/bin", "PORT": "huit-mille"}
    proc = subprocess.run([sys.executable, "-m", "devserver", "--no-watch"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "invalid int value: 'huit-mille'" in proc.stderr
    assert "Traceback" not in proc.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "devserver", "--no-watch", "--port", str(port),
             "--output", str(tmp_path / "output"), "--cache", str(tmp_path / "cache")],
            cwd=ROOT, env={"PATH": "/usr/bin:/bin", "COMMENTS_STORE": str(tmp_path / "store")},
            capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert f"impossible d'écouter sur 127.0.0.1:{port}" in proc.stderr and "Traceback" not in proc.stderr
