"""The real site built with Pelican: event pages, agenda, home, sitemap."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from events_testlib import (GOOD_EVENT, ROOT, TODAY, event_url, ends_at, front_matter,
                            parse_local, squash, starts_at)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
COLLOQUE = "/agenda/colloque-futurs-composes-2014/"
ZIP = "/agenda/appel-a-projets-du-zip-val-doise-pour-2015/"


def when(soup, selector=".event__when"):
    return squash(soup.select_one(selector).get_text())


def jsonld(soup):
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def link(soup, words):
    return soup.find(lambda tag: tag.name == "a" and words in tag.get_text())


def agenda_urls(site, url):
    return [a["href"] for a in site.soup(url).select(".event-card__title a")]


def test_colloquium_page_has_title_date_place_and_calendar_link(site):
    soup = site.soup(COLLOQUE)
    assert soup.h1.get_text(strip=True) == "Colloque Futurs Composés 2014"
    assert len(soup.find_all("h1")) == 1
    assert when(soup) == "jeudi 12 juin 2014, de 9 h à 17 h"
    times = [t["datetime"] for t in soup.select(".event__when time")]
    assert times == ["2014-06-12T09:00+02:00", "2014-06-12T17:00+02:00"]
    assert "Hôtel du Département" in soup.select_one(".event__location").get_text()
    assert "Cergy-Pontoise" in soup.select_one(".event__address").get_text()
    body = squash(soup.select_one(".event__body").get_text(" "))
    for words in ("table ronde", "SILK", "Kent", "Contenu d'exemple"):
        assert words in body
    link_to_ics = link(soup, "Ajouter à mon agenda")
    assert link_to_ics["href"] == COLLOQUE + "colloque-futurs-composes-2014.ics"
    assert site.path(link_to_ics["href"]).is_file()
    nav = soup.select_one('.site-nav a[aria-current="page"]')
    assert nav.get_text(strip=True) == "Agenda" and nav["href"] == "/agenda/"


@pytest.mark.parametrize("url,expected,first_time", [
    (ZIP, "du 12 juin au 31 octobre 2014", "2014-06-12"),
    ("/agenda/marathon-creatif-des-services-publics/",
     "du vendredi 12 mars 2027 à 18 h au dimanche 14 mars 2027 à 17 h",
     "2027-03-12T18:00+01:00"),
    ("/agenda/fete-des-espaces-naturels/", "du 10 au 11 avril 2027", "2027-04-10"),
    ("/agenda/exposition-dhiver-a-labbaye-de-maubuisson/",
     "du 5 décembre 2026 au 28 mars 2027", "2026-12-05"),
    ("/agenda/forum-des-metiers-du-grand-age/", "samedi 30 janvier 2027", "2027-01-30"),
])
def test_rendered_date_ranges(site, url, expected, first_time):
    soup = site.soup(url)
    assert when(soup) == expected
    assert soup.select_one(".event__when time")["datetime"] == first_time
    assert jsonld(soup)["startDate"] == first_time


def test_every_event_page_has_json_ld_matching_its_source(site, event_sources):
    assert len(event_sources) >= 7
    for path, meta in event_sources.items():
        soup = site.soup(event_url(meta))
        data = jsonld(soup)
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
        assert data["name"] == meta["title"]
        start = parse_local(meta["start"])
        assert data["startDate"].startswith(start.isoformat()[:16]), path.name
        assert data["location"]["name"] == meta["location"]
        assert data["url"] == site.settings["SITE_ABSOLUTE_URL"] + event_url(meta)
        if meta.get("price", "").lower() == "gratuit":
            assert data["isAccessibleForFree"] is True and data["offers"]["price"] == "0"


def test_registration_link_is_shown_for_upcoming_events(site):
    soup = site.soup("/agenda/marathon-creatif-des-services-publics/")
    assert link(soup, "S'inscrire")["href"] == "https://inscriptions.example.org/marathon-creatif-2027"


def test_json_ld_cannot_break_out_of_its_script(build_events, content_copy, write_event):
    title = "Atelier </script><script>alert(1)</script> & débat"
    write_event("piege.md", GOOD_EVENT.replace("Un événement correct", title))
    site = build_events(content=content_copy)
    url = event_url({"title": title})
    html = site.html(url)
    head = html.split("</head>")[0]
    assert "<script>alert(1)" not in head
    assert "\\u003c/script\\u003e" in head and "\\u0026" in head
    assert jsonld(site.soup(url))["name"] == title


def test_agenda_lists_upcoming_events_soonest_first_grouped_by_month(site, event_sources):
    today = parse_local(TODAY)
    metas = list(event_sources.values())
    upcoming = sorted((m for m in metas if ends_at(m).date() > today),
                      key=lambda m: (starts_at(m), ends_at(m)))
    past = sorted((m for m in metas if ends_at(m).date() <= today),
                  key=lambda m: (starts_at(m), ends_at(m)), reverse=True)
    assert len(upcoming) >= 3 and len(past) >= 2
    assert agenda_urls(site, "/agenda/") == [event_url(m) for m in upcoming]
    assert agenda_urls(site, "/agenda/passes/") == [event_url(m) for m in past]
    soup = site.soup("/agenda/")
    months = [squash(h.get_text()) for h in soup.select("main h2")]
    assert months == ["décembre 2026", "janvier 2027", "mars 2027", "avril 2027"]
    for section in soup.select("section.agenda-month"):
        label = squash(section.h2.get_text())
        for card in section.select(".event-card"):
            assert card.time["datetime"][:7] == section.h2["id"].removeprefix("mois-")
            assert label.split()[-1] == card.time["datetime"][:4]
    past_months = [squash(h.get_text()) for h in site.soup("/agenda/passes/").select("main h2")]
    assert past_months == ["novembre 2014", "juin 2014"]


def test_agenda_advertises_the_subscribable_calendar(site):
    soup = site.soup("/agenda/")
    link = soup.find("link", rel="alternate", type="text/calendar")
    assert link["href"] == "/agenda/agenda.ics" and site.path(link["href"]).is_file()
    assert soup.find("a", href="/agenda/passes/")


@pytest.mark.parametrize("today,upcoming,past", [
    ("2014-06-12", [COLLOQUE, ZIP], []),
    ("2014-06-13", [ZIP], [COLLOQUE]),          # the call runs until 31 October
    ("2014-10-31", [ZIP], [COLLOQUE]),          # still open on its last day
    ("2014-11-01", [], [ZIP, COLLOQUE]),
    ("2014-06-12 17:30", [ZIP], [COLLOQUE]),    # over at 17:00
])
def test_changing_today_moves_events_between_agenda_pages(build_events, today, upcoming, past):
    site = build_events(today=today)
    listed = agenda_urls(site, "/agenda/")
    gone = agenda_urls(site, "/agenda/passes/")
    for url in upcoming:
        assert url in listed and url not in gone
    for url in past:
        assert url in gone and url not in listed
    if today.startswith("2014-06-13"):
        # the ongoing call is listed under the current month
        assert squash(site.soup("/agenda/").select_one("main h2").get_text()) == "juin 2014"
    if today == "2014-11-01":
        assert gone == [COLLOQUE, ZIP], "most recent (by start) first"


def test_home_shows_exactly_the_next_three_events(site):
    soup = site.soup("/")
    cards = soup.select(".upcoming-events .event-card")
    assert len(cards) == 3
    assert [c.a["href"] for c in cards] == agenda_urls(site, "/agenda/")[:3]
    assert soup.select_one(".upcoming-events a[href='/agenda/']")
    page2 = site.soup("/page/2/")
    assert not page2.select(".upcoming-events"), "only on the first page of news"


def test_home_with_fewer_upcoming_events(build_events):
    site = build_events(today="2027-03-20")
    cards = site.soup("/").select(".upcoming-events .event-card")
    assert [c.a["href"] for c in cards] == ["/agenda/exposition-dhiver-a-labbaye-de-maubuisson/",
                                            "/agenda/fete-des-espaces-naturels/"]
    cards = build_events(today="2030-01-01").soup("/").select(".upcoming-events .event-card")
    assert cards == []


def test_event_pages_are_in_the_sitemap(build_site, event_sources):
    site = build_site(settings_file="publishconf.py", EVENTS_TODAY=TODAY)
    root = ET.parse(site.output / "sitemap.xml").getroot()
    locs = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    base = "https://www.valdoise.fr"
    assert {base + "/agenda/", base + "/agenda/passes/"} <= locs
    for meta in event_sources.values():
        assert base + event_url(meta) in locs


def test_draft_and_hidden_events_stay_out_of_listings(build_events, content_copy, write_event):
    write_event("brouillon.md", GOOD_EVENT.replace("Un événement correct", "Brouillon futur")
                .replace("2014-03-01", "2027-01-02").replace("Title:", "Status: draft\nTitle:"))
    write_event("cache.md", GOOD_EVENT.replace("Un événement correct", "Caché futur")
                .replace("2014-03-01", "2027-01-02").replace("Title:", "Status: hidden\nTitle:"))
    site = build_events(content=content_copy)
    listed = agenda_urls(site, "/agenda/")
    assert "/agenda/cache-futur/" not in listed and site.path("/agenda/cache-futur/").is_file()
    assert "/agenda/brouillon-futur/" not in listed
    assert site.path("/brouillons/agenda/brouillon-futur/").is_file()
    assert not site.path("/agenda/brouillon-futur/").exists()
    feed = (site.output / "agenda" / "agenda.ics").read_text(encoding="utf-8")
    assert "cache-futur@" not in feed and "brouillon-futur@" not in feed


def test_events_are_available_to_other_plugins(build_events):
    from pelican import signals

    seen = {}

    def grab(generators):
        for gen in generators:
            if hasattr(gen, "events"):
                seen["events"] = list(gen.events)
                seen["context"] = gen.context["events"]

    signals.all_generators_finalized.connect(grab)
    try:
        build_events()
    finally:
        signals.all_generators_finalized.disconnect(grab)
    events = seen["events"]
    assert len(events) == len(list((ROOT / "content" / "events").glob("*.md")))
    assert seen["context"] == events
    for event in events:
        assert event.url == f"agenda/{event.slug}/"
        assert event.source_path.endswith(".md") and event.title and event.content
        assert front_matter(__import__("pathlib").Path(event.source_path))["start"] == \
            event.metadata["start"]
