"""pre-receive asks the running publisher (publisher/checksocket.py,
publisher/precheck.py): a push that only edits content files is checked
against the publisher's kept build, refused with the same French report as
the cold check, or accepted and published through the fast path; any other
push, or no publisher, falls back to the cold check. Real git, a real
publisher process."""

from __future__ import annotations

import base64
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from gitlib import ARTICLE, editor, fingerprint, run, server, wait_for
from publisher import journal
from publisher.checksocket import MAX_FILES, ask, decode_files, socket_path
from support import ROOT

pytestmark = pytest.mark.timeout(900)



@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """Mode publisher: the whole content pushed, the publisher running and
    listening on its socket."""
    tmp = tmp_path_factory.mktemp("fast")
    srv = server(tmp, mode="publisher")
    ed = editor(srv)
    ed.commit("Contenu initial")
    assert ed.push("-u", "main").returncode == 0
    log = tmp / "publisher.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "publisher", "--root", str(srv.root),
                                 "--content", str(srv.checkout / "content")], cwd=ROOT,
                                env=srv.env, stdout=out, stderr=subprocess.STDOUT)
    status = srv.root / ".publisher-status"
    try:
        assert wait_for(lambda: status.is_file() and status.read_text().startswith("ok"), 300)
        assert wait_for(lambda: socket_path(srv.root).exists())
        time.sleep(1.5)  # the watcher is up
        yield srv, ed, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def checks_in(log: Path) -> list[str]:
    return [line.split("vérification d'un push : ", 1)[1].strip()
            for line in log.read_text().splitlines() if "vérification d'un push : " in line]


def test_the_socket_is_the_owners_only(running):
    srv, _ed, _log = running
    path = socket_path(srv.root)
    assert stat.S_ISSOCK(path.stat().st_mode)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_a_mistake_is_refused_by_the_publisher_with_the_report(running):
    srv, ed, log = running
    before, head = fingerprint(srv.current), srv.head()
    text = ed.read(ARTICLE)
    sha, line = ed.break_date(ARTICLE)
    done = ed.push()
    assert done.returncode != 0
    assert (f"remote: - {ARTICLE}, ligne {line} : champ « date » : "
            "date « 12/07/2014 » illisible") in done.stderr, done.stderr
    assert "remote: 1 erreur dans le contenu ; rien n'a été publié :" in done.stderr
    assert "remote: Corrigez ces lignes" in done.stderr
    assert checks_in(log)[-1] == "refused"  # the publisher judged it, not a cold build
    assert fingerprint(srv.current) == before  # byte for byte
    assert srv.head() == head
    assert (srv.checkout / ARTICLE).read_text() == text
    last = journal.read_last(srv.root, 1)[0]
    assert (last["outcome"], last["kind"], last["commit"]) == ("refused", "push", sha)
    assert f"{ARTICLE}, ligne {line}" in last["report"]
    run(["git", "reset", "-q", "--hard", "HEAD~1"], ed.repo, ed.env)


def test_a_broken_body_link_is_refused_too(running):
    """A body link to a page that does not exist: the staged pages' link check."""
    srv, ed, log = running
    before = fingerprint(srv.current)
    ed.write(ARTICLE, ed.read(ARTICLE) + "\nVoir [la page](/une-page-qui-n-existe-pas/).\n")
    ed.commit("Lien cassé")
    done = ed.push()
    assert done.returncode != 0
    assert f"remote: - {ARTICLE}" in done.stderr, done.stderr
    assert checks_in(log)[-1] == "refused"
    assert fingerprint(srv.current) == before
    run(["git", "reset", "-q", "--hard", "HEAD~1"], ed.repo, ed.env)


def test_a_good_edit_is_checked_by_the_publisher_then_published(running):
    srv, ed, log = running
    count, indexed = len(checks_in(log)), log.read_text().count("index de recherche à jour")
    ed.write(ARTICLE, ed.read(ARTICLE) + "\nUne phrase vérifiée par le publisher.\n")
    sha = ed.commit("Phrase vérifiée")
    done = ed.push()
    assert done.returncode == 0, done.stderr
    assert "remote: Vérifié en" in done.stderr and "remote: Reçu" in done.stderr
    assert checks_in(log)[count:] == ["ok"]

    def shown():
        return any("Une phrase vérifiée par le publisher." in p.read_text()
                   for p in srv.current.glob("2014/07/08/*/index.html"))
    assert wait_for(shown)
    # The refused checks before left nothing in the kept build: not their link.
    page = next(p for p in srv.current.glob("2014/07/08/*/index.html")
                if "Une phrase vérifiée par le publisher." in p.read_text())
    assert "une-page-qui-n-existe-pas" not in page.read_text()
    assert wait_for(lambda: journal.read_last(srv.root, 1)[0].get("commit") == sha)
    assert journal.read_last(srv.root, 1)[0]["kind"] == "edit"
    # The search index follows: the publisher is idle again for the next test.
    assert wait_for(lambda: log.read_text().count("index de recherche à jour") > indexed)


def test_a_new_file_falls_back_to_the_cold_check(running):
    """Two files with one address: not a fast-path change; the cold build refuses it."""
    srv, ed, log = running
    count = len(checks_in(log))
    before = fingerprint(srv.current)
    ed.write("content/articles/copie.md", ed.read(ARTICLE))
    ed.commit("Copie")
    done = ed.push()
    assert done.returncode != 0
    assert "remote: - content/articles/copie.md" in done.stderr
    assert len(checks_in(log)) == count  # the publisher was not asked
    assert fingerprint(srv.current) == before
    run(["git", "reset", "-q", "--hard", "HEAD~1"], ed.repo, ed.env)


def test_the_socket_answers_cold_to_hostile_requests(running):
    srv, _ed, _log = running
    assert ask(srv.root, {"../pelicanconf.md": b"x"}) == ("cold", "requête illisible")
    assert ask(srv.root, {"articles/absent.md": b"Title: x\n"})[0] == "cold"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(30)
        sock.connect(str(socket_path(srv.root)))
        sock.sendall(b"\xff\xfe not json\n")
        assert json.loads(sock.recv(4096))["outcome"] == "cold"


def test_without_a_publisher_the_hook_checks_cold(tmp_path):
    assert ask(tmp_path, {"articles/a.md": b"x"}) is None  # no socket: no answer
    sock_path = socket_path(tmp_path)
    sock_path.parent.mkdir()
    with socket.socket(socket.AF_UNIX) as sock:  # a socket left by a dead publisher
        sock.bind(str(sock_path))
    assert ask(tmp_path, {"articles/a.md": b"x"}) is None


@given(st.dictionaries(st.text(max_size=30), st.binary(max_size=20), max_size=MAX_FILES + 2))
def test_decoded_paths_never_leave_the_content_folder(files):
    content = Path("/srv/site/content")
    encoded = {p: base64.b64encode(b).decode() for p, b in files.items()}
    texts = decode_files(encoded, content)
    if texts is None:
        return
    assert len(texts) <= MAX_FILES
    for path in texts:
        assert path.endswith(".md")
        assert os.path.normpath(path).startswith(str(content) + "/")


def test_only_modified_regular_markdown_files_take_the_fast_path(tmp_path):
    """content_changes on real commits: a modification in place, or None."""
    from types import SimpleNamespace

    from gitlib import git_env
    from publisher.git.fastcheck import content_changes

    env = git_env(tmp_path)
    repo = tmp_path / "repo"
    (repo / "content" / "articles").mkdir(parents=True)
    (repo / "content" / "articles" / "a.md").write_text("Title: A\n\nTexte.\n")
    (repo / "content" / "articles" / "b.md").write_text("Title: B\n\nTexte.\n")
    (repo / "README").write_text("x\n")
    run(["git", "init", "-q", "-b", "main"], repo, env)

    def commit() -> str:
        run(["git", "add", "-A"], repo, env)
        run(["git", "commit", "-q", "--allow-empty", "-m", "c"], repo, env)
        return run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()

    site = SimpleNamespace(bare=repo, content="content")
    first = commit()
    (repo / "content" / "articles" / "a.md").write_text("Title: A\n\nTexte modifié.\n")
    (repo / "README").write_text("y\n")  # outside the content: not built, not checked
    edited = commit()
    assert content_changes(site, first, edited) == ["content/articles/a.md"]
    (repo / "content" / "articles" / "b.md").chmod(0o755)
    assert content_changes(site, edited, commit()) is None  # a mode changed
    head = run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    (repo / "content" / "articles" / "b.md").unlink()
    (repo / "content" / "articles" / "b.md").symlink_to("a.md")
    assert content_changes(site, head, commit()) is None  # a link now
    head = run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    (repo / "content" / "articles" / "c.md").write_text("Title: C\n\nTexte.\n")
    assert content_changes(site, head, commit()) is None  # added
    head = run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    (repo / "content" / "articles" / "c.md").unlink()
    assert content_changes(site, head, commit()) is None  # removed
    head = run(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()
    (repo / "content" / "extra").mkdir()
    (repo / "content" / "extra" / "robots.txt").write_text("x\n")
    assert content_changes(site, head, commit()) is None  # not Markdown
    assert content_changes(site, head, head) == []
