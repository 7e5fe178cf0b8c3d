"""Sharing and discovery in the production build: descriptions, canonical
URLs (the same as the sitemap's), Open Graph and Twitter cards, NewsArticle
JSON-LD, robots.txt."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://www.valdoise.fr"
SEED_URL = "/2014/06/12/inventer-les-services-publics-de-demain/"
ERROR_PAGES = ("404.html", "410.html")  # not found, withdrawn (plugins/expiry): never to be indexed


def public_pages(site):
    """(public URL, soup) of every HTML page meant to be found."""
    from bs4 import BeautifulSoup

    for path in sorted(site.output.rglob("*.html")):
        rel = path.relative_to(site.output).as_posix()
        if rel in ERROR_PAGES or rel.startswith("brouillons/"):
            continue
        url = BASE + "/" + re.sub(r"(^|/)index\.html$", r"\1", rel)
        yield url, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_canonical_urls_are_the_sitemap_locations(prod_site):
    locs = {loc.text for loc in ET.parse(prod_site.output / "sitemap.xml").getroot()
            .iter(f"{SITEMAP}loc")}
    canonicals = set()
    for url, soup in public_pages(prod_site):
        links = soup.find_all("link", rel="canonical")
        assert len(links) == 1, url
        assert links[0]["href"] == url, (url, links[0]["href"])
        canonicals.add(links[0]["href"])
    assert len(canonicals) > 40
    assert canonicals == locs, (sorted(canonicals - locs), sorted(locs - canonicals))


def test_every_page_has_a_description_and_sharing_tags(prod_site):
    descriptions = {}
    for url, soup in public_pages(prod_site):
        description = meta(soup, "description")
        assert description and len(description) >= 40, url
        assert "<" not in description, url
        assert meta(soup, "og:description") == description, url
        assert meta(soup, "og:url") == url, url
        assert meta(soup, "og:title"), url
        assert meta(soup, "og:type") in ("article", "website"), url
        assert meta(soup, "og:locale") == "fr_FR", url
        assert meta(soup, "og:site_name") == "Département du Val-d'Oise", url
        assert meta(soup, "twitter:card") == "summary", url
        assert meta(soup, "robots") is None, url
        descriptions.setdefault(description, []).append(url)
    # Listings and pages have their own descriptions, not the site's subtitle.
    shared = {d: urls for d, urls in descriptions.items() if len(urls) > 1}
    assert not shared, shared


def test_404_and_drafts_are_not_to_be_indexed(prod_site, build_site, content_copy):
    for name in ERROR_PAGES:
        soup = prod_site.soup("/" + name)
        assert meta(soup, "robots") == "noindex", name
        assert soup.find("link", rel="canonical") is None, name
    source = content_copy / "articles" / "2014-06-03-maubuisson-saison-art-contemporain.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Category:", "Status: draft\nCategory:", 1), encoding="utf-8")
    # Production writes no draft at all (tests/release); the development
    # preview under brouillons/ is not to be indexed.
    assert not (build_site(content=content_copy, settings_file="publishconf.py").output
                / "brouillons").exists()
    site = build_site(content=content_copy)
    drafts = list((site.output / "brouillons").rglob("index.html"))
    assert len(drafts) == 1
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(drafts[0].read_text(encoding="utf-8"), "html.parser")
    assert meta(soup, "robots") == "noindex"
    assert soup.find("link", rel="canonical") is None


def test_articles_are_news_articles(prod_site):
    articles = [(url, soup) for url, soup in public_pages(prod_site)
                if re.search(r"/\d{4}/\d{2}/\d{2}/[^/]+/$", url)]
    assert len(articles) >= 10
    for url, soup in articles:
        assert meta(soup, "og:type") == "article"
        assert meta(soup, "og:title") == soup.h1.get_text(strip=True)
        scripts = soup.find_all("script", type="application/ld+json")
        assert len(scripts) == 1, url
        data = json.loads(scripts[0].string)
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == soup.h1.get_text(strip=True)
        assert data["description"] == meta(soup, "description")
        assert data["inLanguage"] == "fr"
        assert data["mainEntityOfPage"]["@id"] == url == data["url"]
        assert data["publisher"]["name"] == "Département du Val-d'Oise"
        assert data["publisher"]["logo"]["url"].startswith(BASE + "/")
        assert re.match(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$", data["datePublished"])
        assert data["dateModified"] >= data["datePublished"]
        assert soup.find("time")["datetime"] == data["datePublished"]


def test_other_pages_are_websites(prod_site):
    for url in ("/", "/agenda/", "/archives/", "/accessibilite/", "/recherche/"):
        soup = prod_site.soup(url)
        assert meta(soup, "og:type") == "website", url
        assert soup.find("script", type="application/ld+json") is None, url


def test_json_ld_cannot_close_its_script_and_image_is_shared(build_site, content_copy):
    hostile = "Fin </script><script>alert(1)</script> & <!-- co"
    source = content_copy / "articles" / "2014-06-03-maubuisson-saison-art-contemporain.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("Title: Abbaye de Maubuisson : une nouvelle saison d’art contemporain",
                        f"Title: {hostile}\nSlug: titre-hostile\n"
                        "Image: images/budget-2014.svg\nImage_alt: Un diagramme en barres")
    source.write_text(text, encoding="utf-8")
    site = build_site(content=content_copy, settings_file="publishconf.py")
    html = site.html("/2014/06/03/titre-hostile/")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["headline"] == hostile
    assert data["image"] == [BASE + "/images/budget-2014.svg"]
    soup = site.soup("/2014/06/03/titre-hostile/")
    assert meta(soup, "og:image") == BASE + "/images/budget-2014.svg"
    assert meta(soup, "og:image:alt") == "Un diagramme en barres"
    assert site.path("/images/budget-2014.svg").is_file()


def test_an_image_that_does_not_exist_stops_the_build(build_site, content_copy):
    from editorial import ContentError

    source = content_copy / "articles" / "2014-06-03-maubuisson-saison-art-contemporain.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Category:", "Image: images/abbaye.jpg\nCategory:", 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"image.*abbaye\.jpg"):
        build_site(content=content_copy)


def test_robots_txt_points_to_the_sitemap_and_allows_the_pages(prod_site):
    robots = (prod_site.output / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE}/sitemap.xml" in robots
    disallowed = re.findall(r"^Disallow:\s*(\S+)", robots, re.M)
    for url, _ in public_pages(prod_site):
        path = url[len(BASE):]
        assert not any(path.startswith(d) for d in disallowed), path


def test_development_canonical_uses_the_absolute_development_address(dev_site):
    soup = dev_site.soup(SEED_URL)
    base = dev_site.settings["SITE_ABSOLUTE_URL"]
    assert soup.find("link", rel="canonical")["href"] == base + SEED_URL
