"""A publication checks the links of the folder it is about to serve. The
build's own link check (plugins/linkcheck, last plugin) already judged that
folder; its record lets ``check_release`` skip a second identical reading,
and only then: any file added, removed or changed since, other settings, a
page the build did not read as a source (a draft preview) or no record at all
make the release run the full check again, which then refuses the folder."""

from __future__ import annotations

import os
import shutil

import pytest

from linkcheck import check_output, covered
from linkcheck.record import write_record
from release.publish import BuildFailed, Options, check_release, load_options, record_path
from support import ROOT

URLS = ("https://www.exemple.fr",)
IGNORE = ("/commentaires",)


def options(tmp_path, site_urls=URLS, ignore=IGNORE) -> Options:
    return Options(settings_file=ROOT / "publishconf.py", content=tmp_path, root=tmp_path,
                   keep=5, site_urls=site_urls, ignore=ignore,
                   manifest="comment-threads.json", search_dir="pagefind")


@pytest.fixture
def staging(tmp_path):
    """A small built folder whose links all resolve, and its build's record."""
    out = tmp_path / "releases" / ".building-x"
    (out / "a").mkdir(parents=True)
    (out / "pagefind").mkdir()
    (out / "pagefind" / "pagefind.js").write_text("//")
    (out / "index.html").write_text('<a href="/a/#haut">a</a><script src="/pagefind/pagefind.js">'
                                    '</script><a href="/commentaires/x">c</a>')
    (out / "a" / "index.html").write_text('<h1 id="haut">A</h1><a href="/">accueil</a>')
    (out / "404.html").write_text('<a href="https://www.exemple.fr/a/">a</a>')
    (out / "comment-threads.json").write_text("{}")
    assert check_output(out, URLS, IGNORE) == []
    record(out)
    return out


def record(out, site_urls=("", *URLS, *URLS), ignore=IGNORE, drafts=()):
    """What the plugin writes after its passing check (its own argument shapes)."""
    write_record(record_path(out), out, list(site_urls), list(ignore), ("pagefind",), drafts)


def test_an_unchanged_folder_is_covered_and_passes(staging, tmp_path):
    assert covered(record_path(staging), staging, URLS, IGNORE, ("pagefind",))
    check_release(options(tmp_path), staging)
    assert not record_path(staging).exists()


CHANGES = {
    "a page changed": lambda out: (out / "a" / "index.html").write_text(
        '<h1 id="haut">A</h1><a href="/b">accueil</a>'),
    "a target removed": lambda out: shutil.rmtree(out / "a"),
    "a search file removed": lambda out: os.remove(out / "pagefind" / "pagefind.js"),
    "a page added": lambda out: (out / "b.html").write_text('<a href="/nulle-part/">x</a>'),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_after_the_build_check_makes_the_release_check_again(staging, tmp_path,
                                                                      change):
    CHANGES[change](staging)
    assert not covered(record_path(staging), staging, URLS, IGNORE, ("pagefind",))
    with pytest.raises(BuildFailed, match="lien"):
        check_release(options(tmp_path), staging)
    assert not record_path(staging).exists()


def test_a_draft_the_build_did_not_read_is_read_by_the_release(staging, tmp_path):
    (staging / "brouillon.html").write_text('<a href="/etiquette/rien/">x</a>')
    record(staging, drafts=["brouillon.html"])
    with pytest.raises(BuildFailed, match="brouillon.html"):
        check_release(options(tmp_path), staging)


@pytest.mark.parametrize("other", [
    {"site_urls": ("https://autre.fr",)}, {"ignore": ()}, {"ignore": ("/commentaires", "/a")}])
def test_other_settings_are_not_covered(staging, tmp_path, other):
    opts = options(tmp_path, **other)
    assert not covered(record_path(staging), staging, opts.site_urls, opts.ignore, ("pagefind",))


@pytest.mark.parametrize("text", [None, "", "{", '{"version": 1}', "[]"])
def test_no_record_or_a_damaged_one_means_the_full_check(staging, tmp_path, text):
    (staging / "index.html").write_text('<a href="/nulle-part/">x</a>')
    if text is None:
        record_path(staging).unlink()
    else:
        record_path(staging).write_text(text)
    with pytest.raises(BuildFailed, match="nulle-part"):
        check_release(options(tmp_path), staging)


@pytest.mark.parametrize("settings_file", ["publishconf.py", "pelicanconf.py"])
def test_a_real_build_writes_a_record_the_release_accepts(build_site, tmp_path, settings_file,
                                                         monkeypatch):
    """The settings the build checks with and the ones the release reads
    (release.load_options) give the same parameters: the record is used."""
    monkeypatch.setenv("SITEURL", "https://www.exemple.fr")
    target = tmp_path / "record.json"
    site = build_site(settings_file=settings_file, LINKCHECK_RECORD=str(target))
    opts = load_options(settings_file)
    assert covered(target, site.output, opts.site_urls, opts.ignore, (opts.search_dir,))
    (site.output / "index.html").write_text("<p>changée</p>", encoding="utf-8")
    assert not covered(target, site.output, opts.site_urls, opts.ignore, (opts.search_dir,))


def test_a_leftover_record_is_swept_with_its_build(staging, tmp_path):
    """A publication killed between the build and the check leaves its record:
    the next publication removes it with the staging folder."""
    from release import Releases

    assert record_path(staging).is_file()
    swept = Releases(tmp_path).sweep_staging()
    assert swept == [".building-x"]
    assert not staging.exists() and not record_path(staging).exists()
