"""A push to the server's bare repository: checked by pre-receive as a
publication would be, refused with the French report, or published by
post-receive; every publication and refusal in the journal."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from gitlib import ARTICLE, editor, fingerprint, run, server
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
    lines = text.splitlines()
    date_line = next(i for i, line in enumerate(lines) if line.startswith("Date:"))
    lines[date_line] = "Date: 12/07/2014"
    ed.write(ARTICLE, "\n".join(lines) + "\n")
    sha = ed.commit("Date à la française")
    done = ed.push()
    assert done.returncode != 0
    expected = (f"remote: - {ARTICLE}, ligne {date_line + 1} : champ « date » : "
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


def wait_for(condition, seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


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
