"""Publishing as releases (release/): real builds, real folders, real links.

A good release is served; a bad one (unknown category, broken link, script in
a body) is refused and `current` is unchanged byte for byte; rollback serves
the previous release; a killed publication leaves `current` as it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from releaselib import environment, fingerprint, published_files, release
from support import ROOT

BAD = {
    "categorie-inconnue": ("Title: Une catégorie inconnue\nDate: 2014-03-01\nCategory: Sports\n"
                           "Summary: Un chapô.\n\nDu texte.\n", "Sports"),
    "lien-casse": ("Title: Un lien cassé\nDate: 2014-03-01\nCategory: Institution\n"
                   "Summary: Un chapô.\n\nVoir [la page](/2014/04/15/nulle-part/).\n",
                   "/2014/04/15/nulle-part/"),
    "script": ("Title: Un script\nDate: 2014-03-01\nCategory: Institution\n"
               "Summary: Un chapô.\n\nDu texte.\n\n<script>alert(1)</script>\n", "<script>"),
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One good release of a copy of the real content, in a private SITE_ROOT."""
    tmp = tmp_path_factory.mktemp("release")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    proc = release(tmp, "publish", content=content)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tmp, content


def test_a_good_release_is_served_through_the_current_link(published):
    tmp, _content = published
    site = tmp / "site"
    current = site / "current"
    assert current.is_symlink()
    target = os.readlink(current)
    assert target.startswith("releases/") and (site / target).is_dir()
    files = published_files(current)
    assert "index.html" in files and "comment-threads.json" in files
    assert not [p for p in (site / "releases").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_release_changes_nothing_readers_see(published, name, tmp_path):
    tmp, content = published
    current = tmp / "site" / "current"
    before = fingerprint(current)
    releases_before = sorted(os.listdir(tmp / "site" / "releases"))
    broken = tmp_path / "content"
    shutil.copytree(content, broken)
    text, named = BAD[name]
    (broken / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    proc = release(tmp, "publish", content=broken)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"articles/{name}.md" in proc.stderr and named in proc.stderr, proc.stderr
    assert "le site en ligne n'a pas changé" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert fingerprint(current) == before
    assert sorted(os.listdir(tmp / "site" / "releases")) == releases_before


def test_rollback_returns_to_the_previous_release(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert release(tmp_path, "publish", content=content).returncode == 0
    current = tmp_path / "site" / "current"
    first = fingerprint(current)
    page = content / "pages" / "mentions-legales.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n",
                    encoding="utf-8")
    assert release(tmp_path, "publish", content=content).returncode == 0
    second = fingerprint(current)
    assert second != first
    listed = release(tmp_path, "list")
    assert listed.stdout.splitlines()[0] == "* " + os.path.basename(second[0]) + "  (servie)"
    proc = release(tmp_path, "rollback")
    assert proc.returncode == 0 and "restauré" in proc.stdout, proc.stderr
    assert fingerprint(current) == first
    # Nothing older: a second rollback says so, and changes nothing.
    proc = release(tmp_path, "rollback")
    assert proc.returncode == 2 and "aucune release précédente" in proc.stderr
    assert fingerprint(current) == first
    # Forward again by id.
    proc = release(tmp_path, "rollback", "--to", os.path.basename(second[0]))
    assert proc.returncode == 0 and fingerprint(current) == second


def test_make_rollback_runs_the_same_command(published):
    tmp, content = published
    current = tmp / "site" / "current"
    assert release(tmp, "publish", content=content).returncode == 0
    newest = fingerprint(current)
    proc = subprocess.run(["make", "--no-print-directory", "rollback"], cwd=ROOT,
                          env=environment(tmp), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert fingerprint(current)[0] != newest[0]
    proc = subprocess.run(["make", "--no-print-directory", "rollback",
                           "TO=" + os.path.basename(newest[0])], cwd=ROOT,
                          env=environment(tmp), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and fingerprint(current) == newest, proc.stderr


def start_publication(tmp, content):
    return subprocess.Popen([sys.executable, "-m", "release", "publish", "--content",
                             str(content)], cwd=ROOT, env=environment(tmp),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for_staging(site, proc):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(".building-") and p.is_dir() and any(p.iterdir())
               for p in (site / "releases").iterdir()):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize("how", ["kill-group", "terminate"])
def test_an_interrupted_publication_leaves_current_as_it_was(published, how):
    tmp, content = published
    site = tmp / "site"
    before = fingerprint(site / "current")
    releases_before = sorted(os.listdir(site / "releases"))
    proc = start_publication(tmp, content)
    assert wait_for_staging(site, proc), "the build never started writing"
    if how == "kill-group":
        os.killpg(proc.pid, signal.SIGKILL)  # the publisher and Pelican, mid-build
    else:
        proc.terminate()  # SIGTERM: the publisher stops its build and cleans up
    _out, err = proc.communicate(timeout=60)
    assert fingerprint(site / "current") == before
    complete = sorted(n for n in os.listdir(site / "releases") if not n.startswith("."))
    assert complete == [n for n in releases_before if not n.startswith(".")]
    if how == "terminate":
        assert proc.returncode == 130 and "interrompue" in err and "Traceback" not in err
        assert not [n for n in os.listdir(site / "releases") if n.startswith(".building-")]
    # The next publication sweeps what a killed one left, and succeeds.
    done = release(tmp, "publish", content=content)
    assert done.returncode == 0, done.stderr
    assert not [n for n in os.listdir(site / "releases") if n.startswith(".building-")]


def test_old_releases_are_pruned_and_the_served_one_kept(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for _ in range(3):
        assert release(tmp_path, "publish", "--keep", "2", content=content).returncode == 0
    ids = sorted(n for n in os.listdir(tmp_path / "site" / "releases"))
    assert len(ids) == 2
    assert os.readlink(tmp_path / "site" / "current") == "releases/" + ids[-1]


def test_bad_settings_and_a_busy_lock_are_messages(tmp_path):
    proc = release(tmp_path, "publish", "--keep", "zéro")
    assert proc.returncode == 2 and "RELEASES_KEEP" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = release(tmp_path, "publish", RELEASES_KEEP="0")
    assert proc.returncode == 2 and "RELEASES_KEEP" in proc.stderr
    import fcntl

    (tmp_path / "site").mkdir()
    with open(tmp_path / "site" / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        proc = release(tmp_path, "rollback")
    assert proc.returncode == 2 and "une autre publication est en cours" in proc.stderr


def test_a_plugin_that_cannot_load_stops_the_publication(published, tmp_path):
    """Pelican only logs it; a publication must not go out without a check."""
    tmp, content = published
    before = fingerprint(tmp / "site" / "current")
    settings = tmp_path / "broken-settings.py"
    settings.write_text("import os, sys\nsys.path.insert(0, os.getcwd())\n"
                        "from publishconf import *  # noqa\n"
                        "PLUGIN_PATHS = [os.path.join(os.getcwd(), 'plugins')]\n"
                        "THEME = os.path.join(os.getcwd(), 'theme')\n"
                        "PLUGINS = [*PLUGINS, 'extension_absente']\n", encoding="utf-8")
    proc = release(tmp, "--settings", str(settings), "publish", content=content)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "extension_absente" in proc.stderr
    assert fingerprint(tmp / "site" / "current") == before


def test_a_folder_where_the_link_should_be_is_a_message(tmp_path):
    """A site root laid out by hand (current is a real folder): refused, untouched."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (tmp_path / "site" / "current").mkdir(parents=True)
    (tmp_path / "site" / "current" / "index.html").write_text("ancien site", encoding="utf-8")
    proc = release(tmp_path, "publish", content=content)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "le site en ligne n'a pas changé" in proc.stderr
    assert (tmp_path / "site" / "current" / "index.html").read_text() == "ancien site"
