"""Site search in Chromium: results from the Pagefind index, the header form,
the no-JavaScript fallback, and the bundle loaded by the search page only."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

pytestmark = pytest.mark.timeout(120)

MAUBUISSON = "/2014/06/03/abbaye-de-maubuisson-une-nouvelle-saison-dart-contemporain/"


def result_links(page):
    page.locator("#search-results li").first.wait_for()
    return [a.get_attribute("href") for a in page.locator("#search-results a").all()]


def test_search_page_lists_the_maubuisson_article(page, live_site):
    page.goto(live_site.url("/recherche/?q=Maubuisson"))
    links = result_links(page)
    assert MAUBUISSON in links
    assert re.match(r"\d+\u00a0résultats? pour «\u00a0Maubuisson\u00a0»", page.text_content("#search-status"))
    assert page.input_value("#search-q") == "Maubuisson"
    assert not page.locator("[data-search-fallback]").is_visible()
    # Excerpts are text with <mark>: no markup from the index is interpreted.
    assert page.locator("#search-results mark").count() > 0
    assert page.locator("#search-results script, #search-results img").count() == 0
    assert page.js_errors == []


def test_french_stemming_and_no_result_message(page, live_site):
    page.goto(live_site.url("/recherche/?q=plantations"))
    links = result_links(page)
    assert any("espaces-naturels" in link for link in links), links  # "plantés", "plantation"
    page.fill("#search-q", "zzyzxquux")
    page.press("#search-q", "Enter")
    page.wait_for_function("document.querySelector('#search-status').textContent.startsWith('Aucun résultat')")
    assert page.locator("#search-results").is_hidden()
    assert page.url.endswith("?q=zzyzxquux")


def test_header_form_leads_to_the_results(page, live_site):
    page.goto(live_site.url(MAUBUISSON))
    form = page.locator("header form[role=search]")
    assert form.get_attribute("method") == "get"
    assert form.get_attribute("action") == "/recherche/"
    assert page.get_by_role("searchbox", name="Rechercher sur le site").get_attribute("name") == "q"
    page.fill("#site-search-q", "Maubuisson")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=Maubuisson$"))
    assert MAUBUISSON in result_links(page)


def test_bundle_is_loaded_by_the_search_page_only(page, live_site):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_site.url(MAUBUISSON))
    page.wait_for_load_state("networkidle")
    assert requested, "requests are recorded"
    assert not [u for u in requested if "/pagefind/" in u or "search.js" in u], requested
    page.goto(live_site.url("/recherche/?q=Maubuisson"))
    result_links(page)
    assert any(u.endswith("/pagefind/pagefind.js") for u in requested)
    assert any(u.endswith("/theme/js/search.js") for u in requested)


def test_without_javascript_the_search_page_offers_the_archives(nojs_page, live_site):
    nojs_page.goto(live_site.url("/recherche/?q=Maubuisson"))
    fallback = nojs_page.locator("[data-search-fallback]")
    assert fallback.is_visible()
    assert fallback.locator('a[href="/archives/"]').is_visible()
    assert "JavaScript" in fallback.text_content()


def test_index_files_are_served_as_binary(live_site):
    with urllib.request.urlopen(live_site.url("/pagefind/pagefind-entry.json"), timeout=10) as r:
        language = json.loads(r.read())["languages"]["fr"]
    with urllib.request.urlopen(live_site.url("/pagefind/pagefind.js"), timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/javascript")
    for path in (f"/pagefind/pagefind.{language['hash']}.pf_meta",
                 f"/pagefind/wasm.{language['wasm']}.pagefind"):
        with urllib.request.urlopen(live_site.url(path), timeout=10) as r:
            assert r.headers["Content-Type"] == "application/octet-stream", path
