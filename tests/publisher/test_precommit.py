"""The editors' pre-commit hook: the real `pre-commit` framework, the
repository's .pre-commit-config.yaml, a real git repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitlib import ARTICLE, git_env, run
from support import ROOT

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


@pytest.fixture()
def repo(tmp_path):
    if not PRE_COMMIT.is_file():
        pytest.skip("pre-commit is not installed (make test-deps)")
    repo = tmp_path / "site"
    repo.mkdir()
    env = git_env(tmp_path, PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    for name in (".pre-commit-config.yaml", "pelicanconf.py"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "content", repo / "content")
    for name in (".venv", "theme"):  # the hook runs the repository's venv; settings check the theme
        (repo / name).symlink_to(ROOT / name)
    run(["git", "init", "-q", "-b", "main"], repo, env)
    run(["git", "add", "-A"], repo, env)
    run(["git", "commit", "-q", "-m", "Contenu"], repo, env)
    run([str(PRE_COMMIT), "install"], repo, env)
    return repo, env


def pre_commit(repo, env) -> subprocess.CompletedProcess:
    return run([str(PRE_COMMIT), "run"], repo, env, check=False)


def test_a_staged_mistake_fails_in_french(repo):
    path, env = repo
    article = path / ARTICLE
    lines = article.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "Autuer: Claire")
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run(["git", "add", ARTICLE], path, env)
    done = pre_commit(path, env)
    assert done.returncode == 1, done.stdout
    assert f"- {ARTICLE}, ligne 3 : champ « autuer » : inconnu (faute de frappe ?)" in done.stdout
    assert "1 erreur dans le contenu" in done.stdout
    # And `git commit` itself is stopped by the installed hook.
    committed = run(["git", "commit", "-q", "-m", "Auteur"], path, env, check=False)
    assert committed.returncode != 0
    assert "champ « autuer »" in committed.stdout + committed.stderr


def test_only_staged_files_are_checked(repo):
    path, env = repo
    broken = path / "content/articles/2014-04-15-budget-2014-priorites.md"
    broken.write_text("Title: Sans date ni catégorie\n\nTexte.\n", encoding="utf-8")
    article = path / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nUne phrase.\n", encoding="utf-8")
    run(["git", "add", ARTICLE], path, env)
    done = pre_commit(path, env)
    assert done.returncode == 0, done.stdout
    committed = run(["git", "commit", "-q", "-m", "Une phrase"], path, env, check=False)
    assert committed.returncode == 0, committed.stdout + committed.stderr


def test_event_fields_are_checked(repo):
    path, env = repo
    event = next((path / "content/events").glob("*.md"))
    text = event.read_text(encoding="utf-8")
    start = next(line for line in text.splitlines() if line.startswith("Start:"))
    event.write_text(text.replace(start, "Start: demain"), encoding="utf-8")
    run(["git", "add", "-A"], path, env)
    done = pre_commit(path, env)
    assert done.returncode == 1
    assert "champ « start »" in done.stdout


def test_good_files_pass(repo):
    path, env = repo
    (path / "content/articles/nouveau.md").write_text(
        "Title: Un nouvel article\nDate: 2026-12-01\nCategory: Environnement\n"
        "Summary: Un résumé.\n\nLe texte.\n", encoding="utf-8")
    (path / "README.txt").write_text("pas du contenu\n", encoding="utf-8")
    run(["git", "add", "-A"], path, env)
    done = pre_commit(path, env)
    assert done.returncode == 0, done.stdout


def test_expiry_fields_are_checked(repo):
    path, env = repo
    article = path / ARTICLE
    lines = article.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "Expiration: fin décembre")
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run(["git", "add", ARTICLE], path, env)
    done = pre_commit(path, env)
    assert done.returncode == 1
    assert f"- {ARTICLE}, ligne 3 : champ « expiration » : date « fin décembre » illisible" \
        in done.stdout, done.stdout
