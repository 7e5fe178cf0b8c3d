"""Titles, duplicates and the report itself (count, paths, no English)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from editorial import ContentError
from support import ROOT

GOOD = """Title: {title}
Date: {date}
Category: Institution
Summary: Un chapô.

Du texte.
"""
WORDS = ("budget", "routes", "colleges", "solidarites", "culture", "patrimoine", "environnement")


def long_title(length: int) -> str:
    words, i = [], 0
    while len(" ".join(words)) < length:
        words.append(WORDS[i % len(WORDS)])
        i += 1
    return " ".join(words)[:length].strip()


def write(content_copy, name, title="Un article correct", date="2014-03-01"):
    path = content_copy / "articles" / name
    path.write_text(GOOD.format(title=title, date=date), encoding="utf-8")
    return path


@pytest.mark.parametrize("length", [160, 300])
def test_a_long_title_builds_with_a_bounded_slug_and_open_comments(
        build_site, content_copy, length):
    title = long_title(length)
    write(content_copy, "long.md", title=title)
    site = build_site(content=content_copy)
    threads = json.loads((site.output / "comment-threads.json").read_text())["threads"]
    mine = [(slug, info) for slug, info in threads.items() if info["title"] == title]
    assert len(mine) == 1, "the article has its comment thread"
    slug, info = mine[0]
    assert len(slug) <= 80 and not slug.endswith("-") and info["open"] is True
    assert slug.startswith("budget-routes-colleges")
    page = site.soup(info["url"])
    assert page.select_one("form[data-comment-form]") is not None


def test_two_articles_with_one_title_blame_the_newer_one(build_site, content_copy):
    write(content_copy, "ancien.md", date="2014-03-01")
    write(content_copy, "nouveau.md", date="2014-05-02")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    message = str(err.value)
    assert message.startswith("1 erreur dans le contenu ; rien n'a été publié :\n")
    (line,) = [line for line in message.splitlines() if line.startswith("- ")]
    assert line.startswith("- content/articles/nouveau.md, ligne 1 : champ « title » : ")
    assert "déjà utilisé par content/articles/ancien.md, plus ancien (daté du 2014-03-01)" in line
    assert "changez le titre de ce fichier-ci" in line


def test_a_shared_slug_line_is_blamed_on_its_line(build_site, content_copy):
    write(content_copy, "ancien.md", title="Premier", date="2014-03-01")
    path = write(content_copy, "nouveau.md", title="Second", date="2014-05-02")
    path.write_text(path.read_text().replace("Summary:", "Slug: premier\nSummary:"))
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    assert "- content/articles/nouveau.md, ligne 4 : champ « slug » : l'identifiant « premier »" \
        in str(err.value)


def test_two_articles_of_the_same_date_are_both_named(build_site, content_copy):
    write(content_copy, "a.md")
    write(content_copy, "b.md")
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    message = str(err.value)
    assert message.startswith("2 erreurs dans le contenu")
    assert "- content/articles/a.md, ligne 1 : " in message and "b.md" in message
    assert "- content/articles/b.md, ligne 1 : " in message


@pytest.mark.parametrize("command", [
    ["-m", "editorial"],                                          # make html
    ["-m", "pelican", "--log-handler", "plain", "-q"],             # the development launcher
    ["-m", "pelican", "--log-handler", "plain", "--fatal", "errors"],  # python -m release
])
def test_the_build_command_prints_only_the_french_report(content_copy, tmp_path, command):
    """No English line, no traceback, no line cut at 80 columns; exit status 1."""
    write(content_copy, "espace.md").write_text(
        GOOD.format(title="Un article", date="2014-03-01").replace(
            "Summary: Un chapô.", "Summary: Un chapô.\nStatus : draft"), encoding="utf-8")
    write(content_copy, "lien.md", title="Un autre article").write_text(
        GOOD.format(title="Un autre article", date="2014-03-02").replace(
            "Du texte.", "Voir [ceci]({filename}/articles/absent.md)."), encoding="utf-8")
    (content_copy / "events" / "reunion.md").write_text(
        "Title: Une réunion\nStart: 2027-05-04 18:00\n\nLocation: Mairie\n\nTexte.\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)]),
           "COLUMNS": "60"}
    result = subprocess.run(
        [sys.executable, *command, str(content_copy), "-o", str(tmp_path / "out"),
         "-s", "pelicanconf.py", "-e", "CACHE_CONTENT=false", "-e", "LOAD_CONTENT_CACHE=false"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    problems = [line for line in lines if line.startswith("- ")]
    assert lines == [f"{len(problems)} erreurs dans le contenu ; rien n'a été publié :",
                     *problems], lines
    assert any(line.startswith("- content/articles/espace.md, ligne 5 : champ « status » : ")
               and len(line) > 80 and line.endswith("texte)") for line in problems), problems
    assert any(line.startswith("- content/articles/lien.md, ligne 6 : lien "
                               "« {filename}/articles/absent.md »") for line in problems)
    assert any(line.startswith("- content/events/reunion.md, ligne 3 : ligne vide dans "
                               "l'en-tête") for line in problems)
    assert not (tmp_path / "out" / "index.html").exists()


def test_the_build_command_ends_a_good_build_with_one_french_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, "-m", "editorial", "content", "-o", str(tmp_path / "out"),
         "-s", "pelicanconf.py", "-e", "CACHE_CONTENT=false", "-e", "LOAD_CONTENT_CACHE=false"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).strip() == f"Site construit dans {tmp_path / 'out'}."
    assert (tmp_path / "out" / "index.html").is_file()
