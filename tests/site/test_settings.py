"""One source for each setting: the site, the service, the command line and the
launcher read the comment settings through one loader and one module of defaults."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from comment_service import defaults
from comment_service.config import ConfigError, load_config, load_shared
from support import ROOT

COMMENT_VARIABLES = ("COMMENTS_STORE", "COMMENTS_PREFIX", "COMMENTS_SERVICE_URL", "COMMENTS_MAX_LENGTH",
                     "COMMENTS_NAME_MAX", "COMMENTS_MODERATION", "COMMENTS_CONTACT_EMAIL",
                     "COMMENTS_ENV", "COMMENTS_SECRET")


@pytest.fixture
def clean_env(monkeypatch):
    for name in COMMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def site_settings(settings_file: str = "pelicanconf.py") -> dict:
    from pelican.settings import read_settings

    # publishconf.py imports pelicanconf by name: read it afresh, with this environment.
    sys.modules.pop("pelicanconf", None)
    return read_settings(str(ROOT / settings_file))


def test_the_site_mirrors_the_service_with_the_defaults(clean_env):
    settings, config = site_settings(), load_config({})
    # Relative paths are made absolute once, where the settings are read (issue 19).
    assert settings["COMMENTS_STORE"] == str(config.store) == os.path.abspath(defaults.STORE)
    assert settings["COMMENTS_SERVICE_URL"] == config.prefix == defaults.PREFIX
    assert settings["COMMENTS_MAX_LENGTH"] == config.max_length == defaults.MAX_LENGTH
    assert settings["COMMENTS_NAME_MAX"] == config.name_max == defaults.NAME_MAX
    assert settings["COMMENTS_MODERATION"] == config.moderation == defaults.MODERATION
    assert settings["COMMENTS_CONTACT_EMAIL"] == config.contact_email == defaults.CONTACT_EMAIL
    assert settings["COMMENTS_MANIFEST"] == config.threads_file.name == defaults.THREADS_MANIFEST
    assert settings["SITE_ABSOLUTE_URL"] == config.site_url == defaults.SITE_URL


def test_one_variable_changes_the_site_and_the_service(clean_env):
    clean_env.setenv("COMMENTS_MAX_LENGTH", "321")
    clean_env.setenv("COMMENTS_MODERATION", "auto")
    clean_env.setenv("COMMENTS_STORE", "/srv/comments")
    clean_env.setenv("COMMENTS_PREFIX", "/avis")
    settings, config = site_settings(), load_config()
    assert settings["COMMENTS_MAX_LENGTH"] == config.max_length == 321
    assert settings["COMMENTS_MODERATION"] == config.moderation == "auto"
    assert settings["COMMENTS_STORE"] == str(config.store) == "/srv/comments"
    # The form posts to the service's prefix unless told otherwise.
    assert settings["COMMENTS_SERVICE_URL"] == config.prefix == "/avis"
    clean_env.setenv("COMMENTS_SERVICE_URL", "https://commentaires.example.fr/avis/")
    assert site_settings()["COMMENTS_SERVICE_URL"] == "https://commentaires.example.fr/avis"


def test_one_default_changes_every_reader(clean_env):
    clean_env.setattr(defaults, "STORE", "elsewhere/comments")
    clean_env.setattr(defaults, "MAX_LENGTH", 280)
    assert load_shared({}).store == load_config({}).store == Path.cwd() / "elsewhere/comments"
    assert load_config({}).max_length == 280
    settings = site_settings()
    assert settings["COMMENTS_STORE"] == str(Path.cwd() / "elsewhere/comments") and settings["COMMENTS_MAX_LENGTH"] == 280


def test_the_production_settings_keep_the_shared_values_and_need_no_secret(clean_env):
    clean_env.setenv("COMMENTS_ENV", "production")  # no COMMENTS_SECRET: the build does not care
    with pytest.raises(ConfigError, match="COMMENTS_SECRET"):
        load_config()
    settings = site_settings("publishconf.py")
    assert settings["COMMENTS_STORE"] == os.path.abspath(defaults.STORE)
    assert settings["COMMENTS_STORE_REQUIRED"] is True
    # Releases (release/): each build goes into a new folder, nothing to delete.
    assert settings["SITE_ROOT"] == defaults.SITE_ROOT
    assert settings["DELETE_OUTPUT_DIRECTORY"] is False


@pytest.mark.parametrize("name,value", [("COMMENTS_MAX_LENGTH", "beaucoup"), ("COMMENTS_MODERATION", "post"),
                                        ("COMMENTS_SERVICE_URL", "javascript:alert(1)"),
                                        ("COMMENTS_CONTACT_EMAIL", "<script>")])
def test_a_bad_value_stops_the_site_and_the_service_alike(clean_env, name, value):
    with pytest.raises(ConfigError, match=name):
        load_shared({name: value})
    clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        site_settings()


def test_the_command_line_reads_the_store_through_the_loader(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "COMMENTS_STORE": str(tmp_path / "store"), "COMMENTS_MODERATION": "post"}
    proc = subprocess.run([sys.executable, "-m", "comment_service", "list"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "configuration error" in proc.stderr and "COMMENTS_MODERATION" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "comment_service", "list", "--help"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60)
    assert defaults.STORE in " ".join(proc.stdout.split())


SOURCES = [ROOT / "pelicanconf.py", ROOT / "publishconf.py",
           *sorted((ROOT / "comment_service").rglob("*.py")), *sorted((ROOT / "devserver").rglob("*.py")),
           *sorted((ROOT / "plugins").rglob("*.py"))]


@pytest.mark.parametrize("literal", [defaults.STORE, defaults.THREADS_MANIFEST, defaults.PREFIX,
                                     defaults.CONTACT_EMAIL])
def test_each_default_is_written_once(literal):
    pattern = re.compile(r"""["']""" + re.escape(literal) + r"""["']""")
    found = [str(p.relative_to(ROOT)) for p in SOURCES if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == ["comment_service/defaults.py"], found
