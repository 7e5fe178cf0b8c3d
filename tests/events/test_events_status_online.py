"""Cancelled and postponed events, online events, price details, share
image (docs/guide-redaction.md, « Ajouter un événement à l'agenda »): on the
page, in the agenda, in the iCalendar (read back with icalendar) and in the
JSON-LD; and the plausibility checks, refused with file and line."""

from __future__ import annotations

import json

import pytest
from icalendar import Calendar

from editorial import ContentError
from events_testlib import GOOD_EVENT

FUTURE = GOOD_EVENT.replace("2014-03-01 10:00", "2027-02-10 10:00").replace(
    "2014-03-01 12:00", "2027-02-10 12:00")
URL = "/agenda/un-evenement-correct/"
ICS = "/agenda/un-evenement-correct/un-evenement-correct.ics"


def vevent(site, path=ICS):
    calendar = Calendar.from_ical(site.path(path).read_bytes())
    return next(c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("un-evenement"))


def jsonld(site) -> dict:
    return json.loads(site.soup(URL).find("script", type="application/ld+json").string)


@pytest.mark.parametrize("status,state,label,ical,schema", [
    ("cancelled", "cancelled", "Événement annulé.", "CANCELLED", "EventCancelled"),
    ("Annulé", "cancelled", "Événement annulé.", "CANCELLED", "EventCancelled"),
    ("reporté", "postponed", "Événement reporté", "TENTATIVE", "EventPostponed"),
])
def test_a_cancelled_or_postponed_event(build_events, content_copy, write_event,
                                        status, state, label, ical, schema):
    write_event("correct.md", FUTURE.replace("Price:", "Modified: 2026-11-20 10:00\nPrice:"))
    before = vevent(build_events(content=content_copy))
    assert str(before["status"]) == "CONFIRMED"
    write_event("correct.md", FUTURE.replace(
        "Price:", f"Modified: 2026-11-20 10:00\nStatus: {status}\nPrice:"))
    site = build_events(content=content_copy)
    page = site.soup(URL)
    assert label in page.select_one(".event__state").get_text()
    assert page.select_one(".event__actions").find(string="S'inscrire") is None
    card = site.soup("/agenda/").find("a", href=URL).find_parent("article")
    assert label in card.select_one(".event__state").get_text()
    after = vevent(site)
    assert str(after["status"]) == ical
    assert int(after["sequence"]) > int(before["sequence"])
    assert str(after["summary"]).startswith(("Annulé : ", "Reporté : "))
    feed = vevent(site, "/agenda/agenda.ics")
    assert str(feed["status"]) == ical and feed["sequence"] == after["sequence"]
    assert jsonld(site)["eventStatus"] == f"https://schema.org/{schema}"


def test_an_online_event_with_price_details_and_a_share_image(build_events, content_copy,
                                                               write_event):
    image = sorted(p for p in (content_copy / "images").iterdir() if p.suffix in (".jpg", ".png", ".webp", ".svg"))[0]
    text = FUTURE.replace("Location: Hôtel du Département\n", "").replace(
        "Address: 2 avenue du Parc, 95000 Cergy-Pontoise\n", "").replace(
        "Price: gratuit", "Price: 5 €\nPrice_details: gratuit pour les moins de 18 ans\n"
        "Online: https://visio.example.org/reunion\n"
        f"Image: images/{image.name}\nImage_alt: La salle du conseil")
    write_event("correct.md", text)
    site = build_events(content=content_copy)
    page = site.soup(URL)
    link = page.select_one(".event__location a")
    assert link["href"] == "https://visio.example.org/reunion"
    assert "gratuit pour les moins de 18 ans" in page.select_one(".event__price").get_text()
    assert page.find("meta", property="og:image")["content"].endswith(f"/images/{image.name}")
    data = jsonld(site)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation",
                                "url": "https://visio.example.org/reunion"}
    assert data["image"][0].endswith(f"/images/{image.name}")
    event = vevent(site)
    assert str(event["location"]) == "https://visio.example.org/reunion"
    assert "moins de 18 ans" in str(event["description"])
    assert "En ligne" in site.soup("/agenda/").find("a", href=URL).find_parent(
        "article").select_one(".event-card__where").get_text()


def refusal(build_events, content_copy) -> list[str]:
    with pytest.raises(ContentError) as refused:
        build_events(content=content_copy)
    return [line for line in str(refused.value).splitlines() if line.startswith("- ")]


@pytest.mark.parametrize("start,end,line,words", [
    ("2026-12-05 10:00", "2027-01-14 18:00", 3, "qui dure 40 jours"),
    ("2026-12-05", "2031-12-05", 3, "plus d'un an après le début"),
    ("9999-12-31", "9999-12-31", 2, "année 9999 invraisemblable"),
    ("9999-06-01 10:00", "9999-06-01 12:00", 2, "année 9999 invraisemblable"),
])
def test_implausible_dates_are_refused_with_file_and_line(build_events, content_copy, write_event,
                                                          start, end, line, words):
    write_event("correct.md", GOOD_EVENT.replace("2014-03-01 10:00", start).replace(
        "2014-03-01 12:00", end))
    lines = refusal(build_events, content_copy)
    assert any(f"content/events/correct.md, ligne {line} : " in found and words in found
               for found in lines), lines


def test_an_unknown_status_names_the_event_values(build_events, content_copy, write_event):
    write_event("correct.md", FUTURE.replace("Price:", "Status: supprimé\nPrice:"))
    lines = refusal(build_events, content_copy)
    assert any("statut « supprimé » inconnu" in found and "annulé" in found for found in lines)


PAST = GOOD_EVENT.replace("2014-03-01 10:00", "2025-11-20 10:00").replace(
    "2014-03-01 12:00", "2025-11-20 12:00")  # today is 2026-11-26: a year typo


def test_a_new_event_already_over_is_refused_old_ones_are_not(build_events, content_copy,
                                                               write_event):
    """New: no page at its address in what the last build published
    (EVENTS_PUBLISHED_OUTPUT); the sample events of 2014, published there, pass."""
    published = build_events(content=content_copy).output
    write_event("correct.md", PAST)
    lines = refusal_with(build_events, content_copy, EVENTS_PUBLISHED_OUTPUT=str(published))
    assert lines == ["- content/events/correct.md, ligne 3 : champ « end » : cet événement est "
                     "déjà terminé (le 20 novembre 2025) et n'a jamais été publié : vérifiez "
                     "l'année et le mois ; pour publier quand même un événement passé (un "
                     "compte rendu), ajoutez la ligne « Past: yes »"]
    write_event("correct.md", PAST.replace("Price:", "Past: yes\nPrice:"))
    site = build_events(content=content_copy, EVENTS_PUBLISHED_OUTPUT=str(published))
    assert site.path(URL).is_file()
    # Once published, it is no longer new.
    write_event("correct.md", PAST)
    build_events(content=content_copy, EVENTS_PUBLISHED_OUTPUT=str(site.output))


def refusal_with(build_events, content_copy, **settings) -> list[str]:
    with pytest.raises(ContentError) as refused:
        build_events(content=content_copy, **settings)
    return [line for line in str(refused.value).splitlines() if line.startswith("- ")]
