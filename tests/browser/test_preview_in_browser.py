"""`make serve` as an editor uses it (python -m devserver, its own content
folder, the comment store left to its default): a draft carrying a tag no
published article uses no longer takes the whole preview down; its preview
page shows its banner; a refused build shows its French report on every
page until the file is fixed. axe and vnu on the banner and report pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from browserlib import free_port
from quality.qualitylib import (assert_no_violations, axe_js, describe_vnu,  # noqa: F401
                                run_axe, run_vnu, vnu)
from support import PREVIEW_DRAFT as DRAFT, PREVIEW_SCHEDULED as SCHEDULED, ROOT

pytestmark = pytest.mark.timeout(300)

EVENT = """Title: Une réunion en visio
Start: 2027-02-10 18:00
End: 2027-02-10 20:00
Location: Hôtel du Département
Online: https://visio.example.org/reunion
Status: annulé
Modified: 2026-11-20 10:00
Price: 5 €
Price_details: gratuit pour les moins de 18 ans
Summary: Une réunion publique, en salle et en ligne.

Texte de la réunion.
"""
EVENT_URL = "/agenda/une-reunion-en-visio/"
DRAFT_URL = "/brouillons/un-brouillon-tout-neuf/"
SCHEDULED_URL = "/brouillons/une-annonce-programmee/"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def served(url: str) -> bytes:
    """The body as served, whatever its status."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except urllib.error.HTTPError as answer:
        return answer.read()


def wait_for(predicate, what: str, log, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}:\n{log.read_text()}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    work = tmp_path_factory.mktemp("preview")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "articles" / "2026-11-01-brouillon.md").write_text(DRAFT, encoding="utf-8")
    (content / "articles" / "2026-12-15-annonce.md").write_text(SCHEDULED, encoding="utf-8")
    (content / "events" / "2027-02-10-visio.md").write_text(EVENT, encoding="utf-8")
    port = free_port()
    # No COMMENTS_STORE: the launcher's default store, as `make serve` runs it.
    env = {k: v for k, v in os.environ.items() if k != "COMMENTS_STORE"}
    env.update(SCHEDULE_NOW="2026-11-26 12:00", EVENTS_TODAY="2026-11-26", PYTHONUNBUFFERED="1")
    log = work / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "devserver", "--port", str(port), "--content", str(content),
             "--output", str(work / "output"), "--cache", str(work / "cache")],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: status_of(base + "/") == 200, "the preview never served its home page",
                 log)
        yield base, content, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_draft_with_a_new_tag_is_previewed_with_the_whole_site(preview, page, axe_js, vnu,
                                                                    tmp_path):
    base, _content, log = preview
    for path in ("/", "/archives/", "/agenda/", "/etiquettes/"):
        assert page.goto(base + path).status == 200, path
    response = page.goto(base + DRAFT_URL)
    assert response.status == 200
    banner = page.locator(".preview-banner")
    assert banner.is_visible() and "Brouillon" in banner.inner_text()
    assert "sujet-inédit-du-brouillon" in page.locator(".tag-list").inner_text()
    assert_no_violations(run_axe(page, axe_js), "draft preview")

    assert page.goto(base + SCHEDULED_URL).status == 200
    assert "Programmé le 15 décembre 2026 à 9" in page.locator(".preview-banner").inner_text()
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    assert_no_violations(run_axe(page, axe_js), "scheduled preview")
    # The editor's terminal lists what waits, in French.
    text = log.read_text()
    assert "En attente de publication : 1 article(s) programmé(s), 1 brouillon(s)." in text
    assert page.goto(base + EVENT_URL).status == 200
    assert page.locator(".event__state").inner_text() == "Événement annulé."
    assert page.locator(".event__location a").get_attribute("href") == \
        "https://visio.example.org/reunion"
    assert_no_violations(run_axe(page, axe_js), "cancelled online event")
    assert page.goto(base + "/agenda/").status == 200
    assert_no_violations(run_axe(page, axe_js), "agenda with a cancelled event")
    (tmp_path / "evenement.html").write_bytes(served(base + EVENT_URL))
    (tmp_path / "agenda.html").write_bytes(served(base + "/agenda/"))
    (tmp_path / "brouillon.html").write_bytes(served(base + DRAFT_URL))
    (tmp_path / "programme.html").write_bytes(served(base + SCHEDULED_URL))
    errors = run_vnu(vnu, tmp_path)
    assert errors == [], describe_vnu(errors, tmp_path)


def test_a_refused_build_shows_its_report_on_every_page_until_fixed(preview, page, axe_js,
                                                                      vnu, tmp_path):
    base, content, log = preview
    draft = content / "articles" / "2026-11-01-brouillon.md"
    draft.write_text(DRAFT + "\nVoir [le plan](/plan-inexistant/).\n", encoding="utf-8")
    wait_for(lambda: status_of(base + "/") == 503, "the refusal never reached the preview", log)
    for path in ("/", DRAFT_URL, "/agenda/"):
        response = page.goto(base + path)
        assert response.status == 503, path
        title = page.locator("h1").inner_text()
        assert title == "Aperçu\u00a0: la dernière modification est refusée"
        problems = page.locator(".refusal__problems li").all_inner_texts()
        assert any(p.startswith("content/articles/2026-11-01-brouillon.md, ligne 10 : ")
                   and "/plan-inexistant/" in p for p in problems), problems
    # Its style sheet still comes from the last good release.
    assert status_of(base + "/theme/css/main.css") == 200
    assert_no_violations(run_axe(page, axe_js), "refusal page")
    (tmp_path / "refus.html").write_bytes(served(base + "/"))
    errors = run_vnu(vnu, tmp_path)
    assert errors == [], describe_vnu(errors, tmp_path)

    draft.write_text(DRAFT, encoding="utf-8")
    wait_for(lambda: status_of(base + DRAFT_URL) == 200, "the fix never reached the preview", log)
    assert page.goto(base + "/").status == 200
