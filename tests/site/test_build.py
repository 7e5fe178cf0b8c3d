"""The real content/ built with Pelican: pages, listings, feeds, sitemap, links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import pytest

from support import ROOT, SHARED, front_matter, missing, shared_path, squash

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SEED_URL = "/2014/06/12/inventer-les-services-publics-de-demain/"


def article_sources():
    return sorted((ROOT / "content" / "articles").glob("*.md"))


def published_articles():
    return [front_matter(p) for p in article_sources()
            if front_matter(p).get("status", "published") == "published"]


def test_seed_article_page_has_title_french_date_and_body(dev_site):
    soup = dev_site.soup(SEED_URL)
    assert soup.html["lang"] == "fr"
    assert soup.h1.get_text(strip=True) == "Inventer les services publics de demain"
    assert len(soup.find_all("h1")) == 1
    assert "Publié le 12 juin 2014" in squash(soup.find(class_="article__date").get_text())
    assert soup.find(class_="article__date").time["datetime"].startswith("2014-06-12")
    lead = squash(soup.find(class_="article__lead").get_text())
    assert lead.startswith("Le 12 juin, le Conseil général organisait le second colloque")
    body = soup.find(class_="article__body")
    assert len(body.find("ul").find_all("li")) == 3, "the three parts of the day form a list"
    assert squash(body.h2.get_text()) == squash(
        "Les engagements du Conseil général en matière d’innovation publique")


def test_seed_article_is_faithful_to_the_seed_text(dev_site):
    seeds = sorted(shared_path("seed").glob("*.txt"))
    if not seeds:
        missing(f"no seed page (*.txt) in {SHARED / 'seed'}")
    text = seeds[0].read_text(encoding="utf-8")
    # The article's own text stops where the old page's comment form began.
    text = text.split("Ajouter un commentaire")[0]
    page = squash(dev_site.soup(SEED_URL).find("article").get_text(" "))
    paragraphs = [squash(p).removeprefix("- ") for p in text.split("\n") if p.strip()]
    assert len(paragraphs) > 10
    for paragraph in paragraphs[2:]:  # title and "Publié le" are laid out apart
        assert paragraph in page, paragraph
    assert "msgDefautDepot" not in dev_site.html(SEED_URL)
    assert "Captcha anti-spam" not in dev_site.html(SEED_URL)


def test_home_paginates_all_articles_newest_first(dev_site):
    per_page = dev_site.settings["DEFAULT_PAGINATION"]
    expected = len(published_articles())
    assert expected > per_page, "sample content should span several pages"
    seen, url, pages = [], "/", 0
    while url:
        soup = dev_site.soup(url)
        cards = soup.select(".card")
        assert 0 < len(cards) <= per_page
        seen += [c.time["datetime"] for c in cards]
        nxt = soup.select_one('.pagination a[rel="next"]')
        url = nxt["href"] if nxt else None
        pages += 1
    assert pages == -(-expected // per_page)
    assert len(seen) == expected
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("kind,url_prefix", [("category", "/categorie/"), ("tags", "/etiquette/")])
def test_categories_and_tags_list_the_right_articles(dev_site, kind, url_prefix):
    from pelican.utils import slugify

    expected: dict[str, set[str]] = {}
    for meta in published_articles():
        values = [meta[kind]] if kind == "category" else [t.strip() for t in meta["tags"].split(",")]
        for value in values:
            expected.setdefault(slugify(value, regex_subs=dev_site.settings["SLUG_REGEX_SUBSTITUTIONS"]),
                                set()).add(squash(meta["title"]))
    assert len(expected) >= (3 if kind == "category" else 5)
    for slug, titles in expected.items():
        listed, url = set(), f"{url_prefix}{slug}/"
        while url:
            soup = dev_site.soup(url)
            listed |= {squash(a.get_text()) for a in soup.select(".card__title a")}
            nxt = soup.select_one('.pagination a[rel="next"]')
            url = nxt["href"] if nxt else None
        assert listed == titles, slug


def test_atom_feeds_are_well_formed_with_the_right_entries(prod_site):
    articles = published_articles()
    root = ET.parse(prod_site.output / "feeds" / "all.atom.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(len(articles), prod_site.settings["FEED_MAX_ITEMS"])
    assert {squash(e.find(f"{ATOM}title").text) for e in entries} == {
        squash(m["title"]) for m in articles}
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("https://www.valdoise.fr/")
        assert (prod_site.path(urlparse(link).path)).is_file()
    by_category: dict[str, int] = {}
    for meta in articles:
        by_category[meta["category"]] = by_category.get(meta["category"], 0) + 1
    feeds = sorted((prod_site.output / "feeds" / "categorie").glob("*.atom.xml"))
    assert len(feeds) == len(by_category)
    for feed in feeds:
        froot = ET.parse(feed).getroot()
        title = froot.find(f"{ATOM}title").text
        category = next(c for c in by_category if c in title)
        assert len(froot.findall(f"{ATOM}entry")) == by_category[category]


def html_pages(site):
    for path in sorted(site.output.rglob("*.html")):
        yield path


def test_sitemap_lists_every_published_page(prod_site):
    root = ET.parse(prod_site.output / "sitemap.xml").getroot()
    locs = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    assert all(loc.startswith("https://www.valdoise.fr/") for loc in locs)
    expected = set()
    for path in html_pages(prod_site):
        rel = path.relative_to(prod_site.output).as_posix()
        if rel in ("404.html", "410.html"):  # error pages (hidden)
            continue
        expected.add("https://www.valdoise.fr/" + re.sub(r"index\.html$", "", rel))
    missing = expected - locs
    assert not missing, sorted(missing)
    assert "https://www.valdoise.fr" + SEED_URL in locs
    robots = (prod_site.output / "robots.txt").read_text()
    assert "Sitemap: https://www.valdoise.fr/sitemap.xml" in robots


ATTRS = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
         ("source", "src"), ("source", "srcset"), ("form", "action"))


def test_every_internal_link_and_asset_resolves(dev_site):
    from bs4 import BeautifulSoup

    broken, foreign, checked = [], [], 0
    for path in html_pages(dev_site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        page_url = "/" + path.relative_to(dev_site.output).as_posix()
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        for tag_name, attr in ATTRS:
            for tag in soup.find_all(tag_name):
                ref = tag.get(attr)
                if not ref or ref.startswith(("mailto:", "tel:")):
                    continue
                parsed = urlparse(ref)
                if tag_name == "link" and "canonical" in (tag.get("rel") or []):
                    continue  # an address for search engines, never fetched (tests/quality)
                if parsed.scheme or parsed.netloc:
                    if tag_name != "a":
                        foreign.append((page_url, ref))  # no request to any other host
                    continue
                if parsed.path.startswith("/commentaires/"):
                    continue  # served by the comment service, not the static output
                if not parsed.path:  # same-page anchor
                    if parsed.fragment and parsed.fragment not in ids:
                        broken.append((page_url, ref))
                    continue
                target = parsed.path if parsed.path.startswith("/") else \
                    str(Path(page_url).parent / parsed.path)
                checked += 1
                if not dev_site.path(target).is_file():
                    broken.append((page_url, ref))
    assert checked > 100
    assert not broken, broken[:20]
    assert not foreign, foreign[:20]


def test_pages_exist_and_every_page_has_one_h1_and_a_skip_link(dev_site):
    for url in ("/mentions-legales/", "/accessibilite/", "/donnees-personnelles/",
                "/charte-de-moderation/"):
        assert dev_site.path(url).is_file(), url
    assert dev_site.soup("/404.html").h1.get_text(strip=True) == "Page introuvable"
    for path in html_pages(dev_site):
        soup = dev_site.soup("/" + path.relative_to(dev_site.output).as_posix())
        assert soup.html["lang"] == "fr"
        assert len(soup.find_all("h1")) == 1, path
        skip = soup.select_one("a.skip-link")
        assert skip and soup.find(id=skip["href"][1:]) is not None
        assert soup.find("main") and soup.find("header") and soup.find("footer")


def test_previous_and_next_links_follow_dates(dev_site):
    soup = dev_site.soup(SEED_URL)
    prev = soup.select_one('.prev-next a[rel="prev"]')
    nxt = soup.select_one('.prev-next a[rel="next"]')
    assert prev and nxt
    prev_date = dev_site.soup(prev["href"]).find(class_="article__date").time["datetime"]
    next_date = dev_site.soup(nxt["href"]).find(class_="article__date").time["datetime"]
    assert prev_date < "2014-06-12" < next_date


def test_the_article_image_has_a_text_alternative(dev_site):
    images = []
    for path in html_pages(dev_site):
        soup = dev_site.soup("/" + path.relative_to(dev_site.output).as_posix())
        # (not the media cards' posters: decorative, alt="", the title is beside them)
        images += soup.select(".article__body img:not(.media__poster)")
    assert images
    for img in images:
        assert len(img.get("alt", "")) > 20
        assert img.get("width") and img.get("height")
