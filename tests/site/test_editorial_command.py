"""`make html` (python -m editorial): a refused build leaves the output
folder exactly as it was; a good one replaces it whole and ends with what
waits (scheduled articles with their date, drafts), in French."""

from __future__ import annotations

import os
import subprocess
import sys

from support import ROOT

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)]),
       "SCHEDULE_NOW": "2026-11-26 12:00"}


def build(content, output):
    return subprocess.run(
        [sys.executable, "-m", "editorial", str(content), "-o", str(output), "-s", "pelicanconf.py",
         "-e", "CACHE_CONTENT=false", "-e", "LOAD_CONTENT_CACHE=false"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)


def tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_refused_build_leaves_the_output_folder_as_it_was(content_copy, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "ancienne-page.html").write_text("<p>avant</p>", encoding="utf-8")
    before = tree(output)
    # A link to a page that does not exist: only the site-wide check, run
    # after every page is written, finds it.
    article = next((content_copy / "articles").glob("2014-*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nVoir [ce plan](/plan-absent/).\n",
                       encoding="utf-8")
    result = build(content_copy, output)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "/plan-absent/" in result.stderr and "rien n'a été publié" in result.stderr
    assert f"content/articles/{article.name}, ligne" in result.stderr
    assert tree(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_a_good_build_replaces_the_output_and_lists_what_waits(content_copy, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "page-d-un-article-supprime.html").write_text("<p>vieux</p>", encoding="utf-8")
    (content_copy / "articles" / "2026-12-15-annonce.md").write_text(
        "Title: Une annonce programmée\nDate: 2026-12-15 09:00\nCategory: Institution\n"
        "Summary: Bientôt.\n\nTexte.\n", encoding="utf-8")
    result = build(content_copy, output)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "En attente de publication : 1 article(s) programmé(s), 0 brouillon(s).",
        "- programmé le 15 décembre 2026 à 9\u00a0h : « Une annonce programmée » "
        "(content/articles/2026-12-15-annonce.md)",
        f"Site construit dans {output}."]
    assert (output / "index.html").is_file()
    assert (output / "brouillons/une-annonce-programmee/index.html").is_file()
    assert not (output / "page-d-un-article-supprime.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_the_editors_command_prints_only_french_on_refusal(content_copy, tmp_path):
    """./construire (the guide's command): no make line, no Pelican line."""
    article = next((content_copy / "articles").glob("2014-*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nVoir [ce plan](/plan-absent/).\n",
                       encoding="utf-8")
    result = subprocess.run([str(ROOT / "construire")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300,
                            env={**ENV, "CONTENT": str(content_copy),
                                 "OUTPUT": str(tmp_path / "output")})
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).splitlines()
    assert lines[0] == "1 lien cassé dans le site construit ; rien n'a été publié :", lines
    assert len(lines) == 2 and lines[1].startswith(f"- content/articles/{article.name}, ligne ")
    assert not (tmp_path / "output").exists()
