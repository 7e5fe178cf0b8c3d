"""Development builds: feeds and sitemap.xml use SITE_ABSOLUTE_URL, pages stay root-relative."""

from __future__ import annotations

import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://dev.example.test:8123"


def test_feeds_have_absolute_links_and_real_tag_ids(build_site):
    site = build_site(SITE_ABSOLUTE_URL=BASE, FEED_DOMAIN=BASE)
    for feed in [site.output / "feeds" / "all.atom.xml",
                 *sorted((site.output / "feeds" / "categorie").glob("*.atom.xml"))]:
        root = ET.parse(feed).getroot()
        entries = root.findall(f"{ATOM}entry")
        assert entries, feed
        for entry in entries:
            uid = entry.find(f"{ATOM}id").text
            assert uid.startswith("tag:dev.example.test,"), uid
            link = entry.find(f"{ATOM}link").get("href")
            assert link.startswith(BASE + "/"), link
        assert root.find(f"{ATOM}link").get("href").startswith(BASE + "/")
        assert "tag:None" not in feed.read_text(encoding="utf-8")


def test_sitemap_locations_are_absolute(build_site):
    site = build_site(SITE_ABSOLUTE_URL=BASE, FEED_DOMAIN=BASE)
    locs = [loc.text for loc in ET.parse(site.output / "sitemap.xml").getroot()
            .iter(f"{SITEMAP}loc")]
    assert locs and all(loc.startswith(BASE + "/") for loc in locs), locs[:3]
    assert BASE + "/archives/" in locs


def test_pages_stay_root_relative(build_site):
    site = build_site(SITE_ABSOLUTE_URL=BASE, FEED_DOMAIN=BASE)
    nav = site.soup("/").select_one('nav a[href$="/archives/"]')
    assert nav["href"] == "/archives/"
