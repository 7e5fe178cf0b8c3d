"""The build writes the Pagefind index of the content pages, and only them."""

from __future__ import annotations

import json


def test_build_writes_the_search_index(dev_site):
    bundle = dev_site.output / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fr"], "French, from <html lang=\"fr\">"
    marked = [p for p in dev_site.output.rglob("*.html")
              if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert entry["languages"]["fr"]["page_count"] == len(marked)
    assert len(list((bundle / "fragment").glob("*.pf_fragment"))) == len(marked)
    assert list(bundle.glob("*.pf_meta")) and list((bundle / "index").glob("*.pf_index"))


def test_only_content_pages_are_indexed(dev_site):
    def indexed(url):
        return "data-pagefind-body" in dev_site.html(url)

    assert indexed("/2014/06/12/inventer-les-services-publics-de-demain/")
    assert indexed("/agenda/colloque-futurs-composes-2014/")
    assert indexed("/accessibilite/")
    for url in ("/", "/archives/", "/agenda/", "/categories/", "/etiquette/maubuisson/",
                "/recherche/", "/404.html"):
        assert not indexed(url), url


def test_search_page_and_header_form(dev_site):
    soup = dev_site.soup("/recherche/")
    form = soup.find("form", attrs={"data-search-form": True})
    assert form["role"] == "search" and form["method"] == "get" and form["action"] == "/recherche/"
    assert soup.find("label", attrs={"for": "search-q"})
    assert soup.find("script", src="/theme/js/search.js")["type"] == "module"
    assert soup.select_one('[data-search-fallback] a[href="/archives/"]')
    assert soup.find("form", class_="site-search") is None, "one search form on the search page"
    # Everywhere else: the header's GET form to /recherche/, labelled, no search script.
    for url in ("/", "/2014/06/12/inventer-les-services-publics-de-demain/", "/404.html"):
        soup = dev_site.soup(url)
        header_form = soup.select_one("header form[role=search]")
        assert header_form["action"] == "/recherche/" and header_form["method"] == "get"
        field = header_form.find("input", attrs={"name": "q"})
        assert soup.find("label", attrs={"for": field["id"]}).get_text(strip=True)
        assert not soup.find("script", src=lambda s: s and ("search" in s or "pagefind" in s))


def test_reindexing_forgets_removed_pages(build_site):
    from search import build_index

    site = build_site()
    fragments = site.output / "pagefind" / "fragment"
    first = len(list(fragments.iterdir()))
    site.path("/mentions-legales/").unlink()
    build_index(site.output)
    assert len(list(fragments.iterdir())) == first - 1
