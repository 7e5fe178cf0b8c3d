"""RGAA 12.4: the « Plan du site » is reached the same way on every page.
In Chromium, on five page types: the link sits at the same place of the
footer (same rank, same offset from the footer's corner) and leads to the plan."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.timeout(180)

PAGE_TYPES = {
    "home": "/",
    "article": "/2014/06/12/inventer-les-services-publics-de-demain/",
    "event": "/agenda/reunion-publique-sur-lamenagement-de-la-rd-14/",
    "category": "/categorie/culture-et-patrimoine/",
    "page": "/charte-de-moderation/",
}


def place(page):
    return page.evaluate("""() => {
        const footer = document.querySelector('.site-footer');
        const links = [...footer.querySelectorAll('a')];
        const link = links.find(a => a.textContent.trim() === 'Plan du site');
        if (!link) return null;
        const f = footer.getBoundingClientRect(), l = link.getBoundingClientRect();
        return {rank: links.indexOf(link), x: Math.round(l.left - f.left),
                y: Math.round(l.top - f.top), visible: l.width > 0 && l.height > 0,
                href: link.getAttribute('href'),
                before: links[links.indexOf(link) - 1].textContent.trim()};
    }""")


def test_site_plan_link_is_in_the_same_place_on_five_page_types(page, live_site):
    places = {}
    for kind, url in PAGE_TYPES.items():
        response = page.goto(live_site.url(url))
        assert response.status == 200, url
        places[kind] = place(page)
        assert places[kind] and places[kind]["visible"], (kind, places[kind])
    assert len({tuple(sorted(p.items())) for p in places.values()}) == 1, places
    assert places["home"]["before"].startswith("Accessibilité")
    page.click(".site-footer a:text-is('Plan du site')")
    page.wait_for_url("**/plan-du-site/")
    assert page.locator("main h1").inner_text() == "Plan du site"
