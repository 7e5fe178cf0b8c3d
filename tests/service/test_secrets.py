"""Issue 21, item 9: a low-entropy secret is refused in production, and the
production entry point (comment_service.wsgi) runs in production when
COMMENTS_ENV is forgotten."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from comment_testlib import ROOT, SECRET
from comment_service.config import ConfigError, load_config

WEAK = [" " * 40, "\t" * 64, "a" * 64, "ab" * 32, "0123456789" * 5, "password" * 6,
        "dev-only-secret-do-not-use-in-production", "x" * 31 + "yz"]


def _prod(secret: str) -> dict:
    return {"COMMENTS_ENV": "production", "COMMENTS_SECRET": secret}


@pytest.mark.parametrize("secret", WEAK)
def test_low_entropy_secrets_are_refused_in_production(secret):
    with pytest.raises(ConfigError) as info:
        load_config(_prod(secret))
    assert "token_urlsafe" in str(info.value)  # the message says how to make one


def test_generated_secrets_and_the_test_secrets_pass():
    for _ in range(300):
        assert load_config(_prod(secrets.token_urlsafe(48))).env == "production"
        assert load_config(_prod(secrets.token_urlsafe(32))).env == "production"
    assert load_config(_prod(SECRET)).secret == SECRET


def _import_wsgi(tmp_path, **extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMENTS_")}
    env.update({"PYTHONPATH": str(ROOT), "COMMENTS_STORE": str(tmp_path / "store")}, **extra)
    code = "import comment_service.wsgi as w; print(w.config.env, w.config.secret == 'x')"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_the_wsgi_entry_point_defaults_to_production(tmp_path):
    proc = _import_wsgi(tmp_path)  # no COMMENTS_ENV, no secret: production refuses
    assert proc.returncode != 0
    assert "COMMENTS_SECRET is not set" in proc.stderr
    proc = _import_wsgi(tmp_path, COMMENTS_SECRET=SECRET)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] == "production"
    proc = _import_wsgi(tmp_path, COMMENTS_ENV="development")  # said explicitly: development
    assert proc.returncode == 0 and proc.stdout.split()[0] == "development", proc.stderr


def test_the_development_loader_still_defaults_to_development():
    assert load_config({}).env == "development"
