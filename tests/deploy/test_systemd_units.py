"""The systemd units pass `systemd-analyze verify` (with the repository's own
paths in place of /srv/valdoise, so that every ExecStart= exists), and keep
the rules the deployment relies on."""

from __future__ import annotations

import configparser
import subprocess

import pytest

from deploylib import need
from support import ROOT

UNITS = ROOT / "deploy" / "systemd"


def test_systemd_analyze_verify(tmp_path):
    analyze = need("systemd-analyze")
    names = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text(encoding="utf-8").replace("/srv/valdoise", str(ROOT))
        name = unit.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text, encoding="utf-8")
        names.append(name)
    result = subprocess.run([analyze, "verify", "--man=no", *names], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env={"SYSTEMD_LOG_LEVEL": "notice", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and not result.stderr.strip() and not result.stdout.strip(), result.stderr


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((UNITS / name).read_text(encoding="utf-8").replace("\\\n", " "))
    return parser


def test_the_service_is_hardened_and_reads_its_secret_from_a_credential():
    service = unit("valdoise-comments@.service")["Service"]
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    assert service["PrivateTmp"] == "yes" and service["User"] == "valdoise"
    assert service["ReadWritePaths"] == "/srv/valdoise/comments"  # the store only
    assert service["LoadCredential"].startswith("comments-secret:/etc/")
    text = (UNITS / "valdoise-comments@.service").read_text(encoding="utf-8")
    assert "COMMENTS_SECRET=" not in text and "COMMENTS_SECRET_FILE=%d/comments-secret" in text
    assert "--no-control-socket" in service["ExecStart"]


def test_only_nginx_reaches_the_service():
    """Issue 21, item 8: no TCP port; a socket only nginx's group may open; its
    X-Forwarded-For trusted as ``unix``, no address trusted."""
    service = unit("valdoise-comments@.service")
    assert "--bind" not in service["Service"]["ExecStart"] and "-b " not in service["Service"]["ExecStart"]
    assert "valdoise-comments@%i.socket" in service["Unit"]["Requires"]
    text = (UNITS / "valdoise-comments@.service").read_text(encoding="utf-8")
    assert "Environment=COMMENTS_TRUSTED_PROXIES=unix" in text and "TRUSTED_PROXY=" not in text
    socket = unit("valdoise-comments@.socket")["Socket"]
    assert socket["ListenStream"].startswith("/run/") and socket["ListenStream"].endswith("%i.sock")
    assert socket["SocketMode"] == "0660" and socket["SocketGroup"] == "www-data"
    from deploy.render import UPSTREAM
    assert UPSTREAM == "unix:" + socket["ListenStream"].replace("%i", "1")


@pytest.mark.parametrize("name, command", [
    ("valdoise-publisher.service", "-m publisher --settings publishconf.py"),
    ("valdoise-purge.service", "-m comment_service personal-data purge"),
    ("valdoise-backup.service", "-m comment_service backup"),
    ("valdoise-notify.service", "-m comment_service notify"),
])
def test_each_unit_runs_its_command(name, command):
    assert command in unit(name)["Service"]["ExecStart"]


def test_gunicorn_control_socket_is_off():
    settings = {}
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), settings)
    assert settings["control_socket_disable"] is True


def test_the_secret_file_setting(tmp_path):
    from comment_service.config import ConfigError, load_config

    secret = tmp_path / "comments-secret"
    value = "Kq3vT9xZ-wP2mYb7_Lr5NcJ8dHs4Fg6Ua1Ve0Xi"
    secret.write_text(value + "\n", encoding="utf-8")
    config = load_config({"COMMENTS_ENV": "production", "COMMENTS_SECRET_FILE": str(secret)})
    assert config.secret == value
    with pytest.raises(ConfigError, match="COMMENTS_SECRET_FILE"):
        load_config({"COMMENTS_ENV": "production", "COMMENTS_SECRET_FILE": str(tmp_path / "absent")})
    with pytest.raises(ConfigError, match="not both"):
        load_config({"COMMENTS_SECRET_FILE": str(secret), "COMMENTS_SECRET": "x" * 40})
