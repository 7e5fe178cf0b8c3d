"""Problems recorded by the editorial reader travel through Pelican's content
cache (pickled with the cached metadata): they must come back whole, or the
next build crashes while loading the cache."""

from __future__ import annotations

import copy
import pickle

from editorial.problems import Problem


def test_a_problem_survives_pickling_and_copying_with_its_line():
    problem = Problem("status", "valeur inconnue", 7)
    for clone in (pickle.loads(pickle.dumps(problem)), copy.deepcopy(problem)):
        assert clone == ("status", "valeur inconnue") and clone.line == 7


def test_a_build_loads_a_cache_written_by_a_build_with_problems(build_site, content_copy, tmp_path):
    bad = content_copy / "articles" / "2014-04-15-budget-2014-priorites.md"
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("Category:", "Category :", 1), encoding="utf-8")
    cache = tmp_path / "cache"
    settings = dict(CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True, CACHE_PATH=str(cache))
    try:
        build_site(content=content_copy, **settings)
    except Exception as error:  # the editorial report: the mistake is refused
        assert "ligne" in str(error)
    bad.write_text(text, encoding="utf-8")
    site = build_site(content=content_copy, **settings)  # reads the cache the failed build left
    assert site.path("/").is_file()
