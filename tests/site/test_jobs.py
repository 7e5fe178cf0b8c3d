"""Work beside the build (plugins/sitekit/jobs.py): the search index runs while
the link check reads the site; the build waits for it, reports its failure,
and never leaves it writing after the build has stopped."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from types import SimpleNamespace

import pytest

from linkcheck.plugin import check_site
from search import search
from sitekit import jobs


def test_finish_waits_for_every_job_and_raises_the_first_failure(tmp_path):
    seen = []

    def check(returncode, output):
        seen.append((returncode, output))
        if returncode:
            raise RuntimeError(output)

    settings = {}
    jobs.start(settings, ["sh", "-c", f"sleep 0.3; touch {tmp_path}/done"], check)
    jobs.start(settings, ["sh", "-c", "echo raté; exit 3"], check)
    with pytest.raises(RuntimeError, match="raté"):
        jobs.finish(settings)
    assert (tmp_path / "done").is_file()  # waited for, although started first
    assert seen == [(0, ""), (3, "raté\n")]
    jobs.finish(settings)  # nothing left: a second call waits for nothing


def test_a_reference_into_what_a_job_writes_is_judged_once_it_is_written(tmp_path):
    """The page links to a file the job writes after the check read the page."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text('<script src="/pagefind/late.js"></script>', encoding="utf-8")
    settings = {"LINKCHECK_IGNORE": []}
    jobs.start(settings, ["sh", "-c", f"sleep 0.5; mkdir -p {out}/pagefind; "
                          f"echo '//' > {out}/pagefind/late.js"], lambda code, text: None)
    check_site(SimpleNamespace(settings=settings, output_path=str(out)))
    assert jobs.JOBS_KEY not in settings


def test_a_failed_build_in_a_process_that_goes_on_cancels_its_jobs(tmp_path):
    """The publisher runs builds in its own long-lived process: a build that
    failed must not leave Pagefind writing into a folder being removed."""
    marker = tmp_path / "written-after-cancel"
    settings = {}
    jobs.start(settings, ["sh", "-c", f"sleep 1; touch {marker}"], lambda code, text: None)
    jobs.cancel(settings)
    assert jobs.JOBS_KEY not in settings
    time.sleep(1.5)
    assert not marker.exists()
    jobs.cancel(settings)  # nothing left: nothing to do


def test_a_job_left_running_is_killed_when_the_build_process_exits(tmp_path):
    marker = tmp_path / "written-after-exit"
    code = textwrap.dedent(f"""
        from sitekit import jobs
        jobs.start({{}}, ["sh", "-c", "sleep 2; touch {marker}"], lambda code, text: None)
        raise SystemExit("the build failed before waiting")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 1
    time.sleep(2.5)
    assert not marker.exists()


def test_a_failing_index_stops_the_build_with_its_message(build_site, monkeypatch):
    monkeypatch.setattr(search, "pagefind_executable", lambda: "false")
    with pytest.raises(search.SearchIndexError, match="could not be built"):
        build_site()


def test_the_index_is_complete_when_the_build_returns(dev_site):
    bundle = dev_site.output / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not [p for p in bundle.rglob("*") if p.name.startswith(".")]


def test_the_index_starts_when_the_last_page_to_index_is_written(tmp_path):
    out = tmp_path / "out"
    pages = ["2014/a/index.html", "apropos/index.html"]
    settings = {}
    indexing = search.Indexing(settings, out, pages)
    for number, page in enumerate(pages):
        (out / page).parent.mkdir(parents=True)
        (out / page).write_text(f'<html lang="fr"><body><main data-pagefind-body><h1>Page '
                                f'{number}</h1><p>texte</p></main></body></html>', encoding="utf-8")
        assert jobs.JOBS_KEY not in settings  # not before the last one
        indexing.written(str(out / page))
    assert indexing.started and len(settings[jobs.JOBS_KEY]) == 1
    indexing.written(str(out / pages[0]))  # written again later: nothing more starts
    indexing.start()
    assert len(settings[jobs.JOBS_KEY]) == 1
    jobs.finish(settings)
    entry = (out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"page_count":2' in entry.replace(" ", "")
