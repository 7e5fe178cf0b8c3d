"""A second process reads articles beside Pelican (plugins/editorial/prefetch.py):
the site is the same byte for byte, and a file with problems is reported by
the build itself, exactly as without it."""

from __future__ import annotations

import time

import pytest

from editorial import ContentError, prefetch

CATEGORIES = ["Institution", "Solidarités", "Environnement"]


def article(i: int) -> str:
    return (f"Title: Article numéro {i} : « essai » !\nDate: 2013-{1 + i % 12:02d}-{1 + i % 28:02d}"
            f" 10:00\nCategory: {CATEGORIES[i % 3]}\nTags: thème {i % 5}, thème {i % 7}\n"
            f"Summary: Résumé *{i}*.\n\n## Intertitre\n\nDu texte[^n] ; et *CD*.\n\n"
            f"*[CD]: Conseil départemental\n\n[^n]: Note {i}.\n")


@pytest.fixture
def many(content_copy):
    for i in range(40):
        (content_copy / "articles" / f"essai-{i:02d}.md").write_text(article(i), encoding="utf-8")
    return content_copy


def pages(site) -> dict[str, bytes]:
    return {p.relative_to(site.output).as_posix(): p.read_bytes()
            for p in site.output.rglob("*") if p.is_file() and "pagefind" not in p.parts
            and p.name != "sitemap.xml"}


def spy(monkeypatch, minimum):
    """What the copy gave for each file; Pelican reads slowly here (20 ms a
    file), so that the copy reads most files even on a busy machine."""
    taken = []
    real = prefetch.Prefetch.take

    def take(self, path):
        time.sleep(0.02)
        taken.append(real(self, path))
        return taken[-1]

    monkeypatch.setattr(prefetch, "MIN_FILES", minimum)
    monkeypatch.setattr(prefetch.Prefetch, "take", take)
    return taken


def test_the_site_is_the_same_with_articles_read_beside_pelican(build_site, many, monkeypatch):
    taken = spy(monkeypatch, 10**6)
    alone = build_site(content=many, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    assert taken == []
    taken = spy(monkeypatch, 4)
    beside = build_site(content=many, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    assert len(taken) > 40 and sum(t is not None for t in taken) >= 10
    assert pages(beside) == pages(alone)


def test_a_file_with_problems_is_reported_by_the_build_itself(build_site, many, monkeypatch):
    for i in range(0, 40, 2):  # half of them: the copy meets some of these
        broken = many / "articles" / f"essai-{i:02d}.md"
        broken.write_text(broken.read_text(encoding="utf-8").replace("Category: ", "Categroy: "),
                          encoding="utf-8")
    reports = []
    for minimum in (10**6, 4):
        taken = spy(monkeypatch, minimum)
        with pytest.raises(ContentError) as err:
            build_site(content=many, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
        reports.append(str(err.value))
    assert reports[0].count("categroy") == 20 and "essai-38.md" in reports[0]
    assert reports[1] == reports[0] and sum(t is not None for t in taken) >= 10


def test_no_copy_with_a_full_content_cache(build_site, many, tmp_path, monkeypatch):
    cache = str(tmp_path / "cache")
    build_site(content=many, CACHE_PATH=cache)
    taken = spy(monkeypatch, 4)
    build_site(content=many, CACHE_PATH=cache)
    assert taken == []  # nothing to read: every article comes from the cache
