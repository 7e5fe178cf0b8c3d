"""A push to the server's bare repository: checked by pre-receive as a
publication would be, refused with the French report, or published by
post-receive; every publication and refusal in the journal."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from gitlib import ARTICLE, editor, fingerprint, run, server, wait_for
from publisher import journal
from support import ROOT

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A server whose first push (the whole content) is published."""
    tmp = tmp_path_factory.mktemp("git")
    srv = server(tmp)
    ed = editor(srv)
    ed.commit("Contenu initial")
    done = ed.push("-u", "main")
    assert done.returncode == 0, done.stderr
    return srv, ed


def test_first_push_is_published_and_journaled(published):
    srv, ed = published
    assert (srv.current / "index.html").is_file()
    assert srv.head() == run(["git", "rev-parse", "HEAD"], ed.repo, ed.env).stdout.strip()
    assert (srv.checkout / ARTICLE).read_text() == ed.read(ARTICLE)
    entries = journal.read_last(srv.root)
    assert entries[-1]["outcome"] == "published" and entries[-1]["kind"] == "full"


def test_good_push_is_published(published):
    srv, ed = published
    ed.write(ARTICLE, ed.read(ARTICLE) + "\nPhrase ajoutée par la rédaction pour le test.\n")
    sha = ed.commit("Travaux : une phrase de plus")
    done = ed.push()
    assert done.returncode == 0, done.stderr
    assert "remote: Vérifié en" in done.stderr
    assert "remote: Publié" in done.stderr
    pages = "".join(p.read_text() for p in srv.current.rglob("index.html"))
    assert "Phrase ajoutée par la rédaction pour le test." in pages
    last = journal.read_last(srv.root, 1)[0]
    assert (last["outcome"], last["commit"], last["author"]) == ("published", sha,
                                                                 "Claire Martin")
    assert last["files"] == [ARTICLE]
    assert last["subject"] == "Travaux : une phrase de plus"


def test_push_with_a_mistake_is_refused_in_french(published):
    srv, ed = published
    before, head = fingerprint(srv.current), srv.head()
    text = ed.read(ARTICLE)
    sha, line = ed.break_date(ARTICLE)
    done = ed.push()
    assert done.returncode != 0
    expected = (f"remote: - {ARTICLE}, ligne {line} : champ « date » : "
                "date « 12/07/2014 » illisible")
    assert expected in done.stderr, done.stderr
    assert "remote: Corrigez ces lignes" in done.stderr
    assert "Traceback" not in done.stderr
    assert fingerprint(srv.current) == before  # byte for byte
    assert srv.head() == head
    assert (srv.checkout / ARTICLE).read_text() != ed.read(ARTICLE)
    last = journal.read_last(srv.root, 1)[0]
    assert (last["outcome"], last["kind"], last["commit"]) == ("refused", "push", sha)
    assert "date « 12/07/2014 » illisible" in last["report"]
    assert last["files"] == [ARTICLE]
    # Fixed, pushed again: published.
    ed.write(ARTICLE, text)
    ed.commit("Date corrigée")
    assert ed.push().returncode == 0


def test_a_site_wide_mistake_is_refused_too(published):
    """Two files with one address: only a whole build sees it."""
    srv, ed = published
    before = fingerprint(srv.current)
    ed.write("content/articles/copie.md", ed.read(ARTICLE))
    ed.commit("Copie")
    done = ed.push()
    assert done.returncode != 0
    assert "remote: - content/articles/copie.md" in done.stderr
    assert "est déjà utilisé par" in done.stderr or "est aussi utilisé par" in done.stderr
    report = journal.read_last(srv.root, 1)[0]["report"]
    assert report.startswith("1 erreur dans le contenu ; ") or report.startswith("2 erreurs"), report
    assert "publication-push-" not in report and "There are" not in report
    assert fingerprint(srv.current) == before
    run(["git", "reset", "-q", "--hard", "HEAD~1"], ed.repo, ed.env)


def test_deleting_main_is_refused(published):
    srv, ed = published
    head = srv.head()
    done = ed.push("--delete", "main")
    assert done.returncode != 0
    assert "ne peut pas être supprimée" in done.stderr
    assert srv.head() == head


def test_other_branches_are_accepted_without_publishing(published):
    srv, ed = published
    before = fingerprint(srv.current)
    run(["git", "checkout", "-q", "-b", "travail"], ed.repo, ed.env)
    ed.write("content/articles/brouillon.md", "Title: Sans date\n\nTexte.\n")
    ed.commit("Brouillon en cours")
    assert ed.push("travail").returncode == 0
    run(["git", "checkout", "-q", "main"], ed.repo, ed.env)
    assert fingerprint(srv.current) == before



def test_the_running_publisher_publishes_a_push_and_journals_it(tmp_path):
    """Mode publisher: the hook moves the checkout; the long-running
    publisher sees the edit, publishes it (fast path) and journals the commit."""
    srv = server(tmp_path, mode="publisher")
    ed = editor(srv)
    ed.commit("Contenu initial")
    done = ed.push("-u", "main")
    assert done.returncode == 0, done.stderr
    assert "remote: Reçu" in done.stderr
    assert (srv.checkout / ARTICLE).read_text() == ed.read(ARTICLE)
    assert not (srv.root / "current").exists()  # nothing runs a release in this mode
    status = srv.root / ".publisher-status"
    proc = subprocess.Popen([sys.executable, "-m", "publisher", "--root", str(srv.root),
                             "--content", str(srv.checkout / "content")], cwd=ROOT,
                            env=srv.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: status.is_file() and status.read_text().startswith("ok"))
        time.sleep(1.5)  # the watcher is up (it starts after the first publication)
        ed.write(ARTICLE, ed.read(ARTICLE) + "\nUne phrase poussée vers le publisher.\n")
        sha = ed.commit("Phrase pour le publisher")
        assert ed.push().returncode == 0

        def shown():
            return any("Une phrase poussée vers le publisher." in p.read_text()
                       for p in srv.current.glob("2014/07/08/*/index.html"))
        assert wait_for(shown)
        assert wait_for(lambda: journal.read_last(srv.root, 1)[0].get("commit") == sha)
        last = journal.read_last(srv.root, 1)[0]
        assert (last["outcome"], last["kind"], last["author"]) == ("published", "edit",
                                                                   "Claire Martin")
        assert last["files"] == [ARTICLE]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_preview_branch_is_built_apart_and_removed_with_its_branch(published):
    srv, ed = published
    before = fingerprint(srv.current)
    run(["git", "checkout", "-q", "-b", "apercu/voeux-2027", "main"], ed.repo, ed.env)
    ed.write("content/articles/voeux.md",
             "Title: Les vœux du Département pour 2027\nDate: 2026-11-01\n"
             "Category: Institution\nSummary: Les vœux.\nStatus: draft\n\nTexte des vœux.\n")
    ed.write("content/articles/programme.md",
             "Title: Un article programmé pour 2027\nDate: 2027-01-02 09:00\n"
             "Category: Institution\nSummary: Programmé.\n\nTexte programmé.\n")
    ed.commit("Vœux en aperçu")
    done = ed.push("apercu/voeux-2027")
    assert done.returncode == 0, done.stderr
    assert "remote: Aperçu à jour : " in done.stderr and "/apercu/voeux-2027/" in done.stderr
    preview = srv.root / "apercu" / "voeux-2027"
    draft = preview / "brouillons" / "les-voeux-du-departement-pour-2027" / "index.html"
    scheduled = preview / "brouillons" / "un-article-programme-pour-2027" / "index.html"
    assert "Texte des vœux." in draft.read_text()
    assert "Texte programmé." in scheduled.read_text()
    assert 'href="http://127.0.0.1:8000/apercu/voeux-2027/' in (preview / "index.html").read_text() \
        or "/apercu/voeux-2027/" in (preview / "index.html").read_text()
    assert not (preview / "sitemap.xml").exists() and not (preview / "robots.txt").exists()
    assert not list((srv.root / "apercu").glob(".building-*"))
    assert fingerprint(srv.current) == before  # the live release is untouched
    assert "Texte des vœux." not in "".join(p.read_text() for p in srv.current.rglob("*.html"))
    done = ed.push("--delete", "apercu/voeux-2027")
    assert done.returncode == 0, done.stderr
    assert "remote: Aperçu « voeux-2027 » supprimé." in done.stderr
    assert not preview.exists()
    run(["git", "checkout", "-q", "main"], ed.repo, ed.env)


def test_a_preview_with_a_mistake_or_a_bad_name_is_refused(published):
    srv, ed = published
    run(["git", "checkout", "-q", "-b", "apercu/Essai_1", "main"], ed.repo, ed.env)
    ed.write("content/articles/essai.md", "Title: Essai\n\nSans date.\n")
    ed.commit("Essai")
    done = ed.push("apercu/Essai_1")
    assert done.returncode != 0 and "nom d'aperçu « Essai_1 » refusé" in done.stderr
    done = ed.push("apercu/Essai_1:apercu/essai")
    assert done.returncode != 0
    assert "remote: - content/articles/essai.md" in done.stderr and "Aperçu refusé" in done.stderr
    assert not (srv.root / "apercu" / "essai").exists()
    run(["git", "checkout", "-q", "main"], ed.repo, ed.env)
