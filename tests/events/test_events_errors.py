"""Bad event metadata stops the build, naming the file and the field."""

from __future__ import annotations

import re

import pytest

from editorial import ContentError
from events_testlib import GOOD_EVENT


def build_error(build_events, content_copy) -> str:
    with pytest.raises(ContentError) as err:
        build_events(content=content_copy)
    return str(err.value)


def reported_lines(message):
    return [line for line in message.splitlines() if line.startswith("- ")]


def located(name: str, text: str, field: str) -> str:
    """How the report names a field of a file: with the line it is on (the editorial
    plugin finds it from the header), or the file alone when the field is absent."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lower().startswith(field + ":"):
            return f"events/{name}, ligne {number} : champ « {field} »"
    return f"events/{name} : champ « {field} »"


def test_the_good_event_builds(build_events, content_copy, write_event):
    write_event("correct.md", GOOD_EVENT)
    site = build_events(content=content_copy)
    assert site.path("/agenda/un-evenement-correct/").is_file()


@pytest.mark.parametrize("name,change,field,words", [
    ("sans-debut.md", ("Start: 2014-03-01 10:00\n", ""), "start", "obligatoire"),
    ("debut-vide.md", ("Start: 2014-03-01 10:00", "Start: "), "start", "obligatoire"),
    ("debut-francais.md", ("Start: 2014-03-01 10:00", "Start: 01/03/2014 10h"), "start",
     "AAAA-MM-JJ"),
    ("debut-impossible.md", ("Start: 2014-03-01 10:00", "Start: 2014-02-30 10:00"), "start",
     "n'existe pas"),
    ("fin-illisible.md", ("End: 2014-03-01 12:00", "End: midi"), "end", "illisible"),
    ("fin-avant-debut.md", ("End: 2014-03-01 12:00", "End: 2014-03-01 08:00"), "end",
     "avant le début"),
    ("fin-veille.md", ("End: 2014-03-01 12:00", "End: 2014-02-28 12:00"), "end",
     "avant le début"),
    ("champ-inconnu.md", ("Price:", "Lieu: Cergy\nPrice:"), "lieu", "inconnu"),
    ("faute-de-frappe.md", ("Location:", "Locaton:"), "locaton", "inconnu"),
    ("tarif.md", ("Price: gratuit", "Price: pas cher"), "price", "pas cher"),
    ("adresse-web.md", ("https://inscriptions.example.org/correct", "inscriptions.example.org"),
     "registration", "https://"),
    ("adresse-ftp.md", ("https://inscriptions.example.org/correct", "ftp://example.org/x"),
     "registration", "ftp://example.org/x"),
    ("sans-lieu.md", ("Location: Hôtel du Département\n", ""), "location", "obligatoire"),
    ("sans-titre.md", ("Title: Un événement correct\n", ""), "title", "obligatoire"),
    ("commentaires.md", ("Price:", "Comments: oui\nPrice:"), "comments", "open, closed"),
])
def test_bad_metadata_fails_the_build_naming_file_and_field(
        build_events, content_copy, write_event, name, change, field, words):
    old, new = change
    assert old in GOOD_EVENT
    write_event(name, GOOD_EVENT.replace(old, new))
    message = build_error(build_events, content_copy)
    assert f"events/{name}" in message
    assert f"« {field} »" in message
    assert words in message
    lines = reported_lines(message)
    assert lines and all(re.match(rf"- content/events/{re.escape(name)}(, ligne \d+)? : ", line)
                         for line in lines), "only the broken file is reported"
    assert located(name, GOOD_EVENT.replace(old, new), field) in message
    if field == "locaton":
        # the Location line is missing too: both problems in one build
        assert any("« location »" in line for line in lines)


def test_every_problem_of_a_file_is_listed_in_one_build(build_events, content_copy, write_event):
    text = (GOOD_EVENT.replace("Start: 2014-03-01 10:00", "Start: 1er mars")
            .replace("Price: gratuit", "Price: ?").replace("Title:", "Lieu: Cergy\nTitle:"))
    write_event("tout-faux.md", text)
    message = build_error(build_events, content_copy)
    for field in ("lieu", "start", "price"):
        assert located("tout-faux.md", text, field) in message


def test_all_day_and_timed_bounds_cannot_be_mixed(build_events, content_copy, write_event):
    text = GOOD_EVENT.replace("Start: 2014-03-01 10:00", "Start: 2014-03-01")
    write_event("melange.md", text)
    message = build_error(build_events, content_copy)
    assert located("melange.md", text, "end") in message and "même forme" in message


def test_two_events_with_the_same_title_collide(build_events, content_copy, write_event):
    write_event("a.md", GOOD_EVENT)
    write_event("b.md", GOOD_EVENT.replace("2014-03-01", "2014-03-02"))
    message = build_error(build_events, content_copy)
    assert "events/a.md" in message and "events/b.md" in message
    assert "« title »" in message or "« slug »" in message


def test_an_event_cannot_take_the_past_events_address(build_events, content_copy, write_event):
    write_event("passes.md", GOOD_EVENT.replace("Title: Un événement correct",
                                                "Title: Passés"))
    message = build_error(build_events, content_copy)
    assert "events/passes.md" in message and "champ « slug »" in message
    assert "réservé" in message
