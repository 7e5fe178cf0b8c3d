"""French typography of editors' text at build time (plugins/typography)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from typography import french_html, french_text

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize("given_text,expected", [
    ("Budget 2014 : priorités", f"Budget 2014{NBSP}: priorités"),
    ("Vraiment ? Oui ! Et ; non", f"Vraiment{NNBSP}? Oui{NNBSP}! Et{NNBSP}; non"),
    ("« Bonjour »", f"«{NBSP}Bonjour{NBSP}»"),
    ("«Bonjour»", f"«{NBSP}Bonjour{NBSP}»"),
    (f"déjà{NBSP}; fait", f"déjà{NNBSP}; fait"),
    ("Titre  :  suite", f"Titre{NBSP}:  suite"),
    # no space added where the editor typed none: addresses, times, "?!"
    ("https://www.valdoise.fr/a?b=1", "https://www.valdoise.fr/a?b=1"),
    ("à 10:30", "à 10:30"),
    ("Quoi ?!", f"Quoi{NNBSP}?!"),
])
def test_french_text(given_text, expected):
    assert french_text(given_text) == expected


def test_html_text_only_never_code_tags_attributes_or_comments():
    source = ('<p>Voir <a href="https://x.fr/?a=1 ;b" title="Plan : ici">le plan</a> : '
              '<em>vite</em> !</p>\n<pre><code>x = a ? b : c\n</code></pre>\n'
              '<p><code>a ; b</code> et <kbd>Ctrl :</kbd> &laquo; ok &raquo; &amp; fin ?</p>'
              '<!-- note : interne --><img src="a.png" alt="Carte : Val-d\'Oise"><br/>')
    result = french_html(source)
    assert result == source.replace("</a> :", f"</a>{NBSP}:").replace(
        "</em> !", f"</em>{NNBSP}!").replace("&laquo; ok &raquo;", f"&laquo;{NBSP}ok{NBSP}&raquo;"
    ).replace("fin ?", f"fin{NNBSP}?")


def test_entities_count_as_spaces():
    assert french_html("<p>Budget&nbsp;:</p>") == f"<p>Budget{NBSP}:</p>"


@given(st.lists(st.sampled_from(list("ab :;!?«»<>&/=\"' \n") + ["<code>", "</code>", "&nbsp;"]),
                max_size=40).map("".join))
def test_typography_only_changes_spaces(text):
    """Whatever the input, only spaces change: remove them all and both sides match."""
    result = french_html(text)

    def bare(value):
        return "".join(value.replace("&nbsp;", "").split()).replace(NBSP, "").replace(NNBSP, "")

    assert bare(result) == bare(text)
    assert french_html(result) == result, "applying it twice changes nothing more"


ARTICLE = """Title: Budget 2014 : les priorités ?
Date: 2014-04-20
Category: Institution
Summary: Une hausse ; pas de « surprise » !

Le budget : voir [le détail](https://www.example.org/budget?annee=2014 "Détail : 2014") !

    code : inchangé ; vraiment ?

Et `a ? b : c` reste tel quel.
"""


@pytest.fixture
def typeset_site(build_site, content_copy):
    (content_copy / "articles" / "2014-04-20-budget-typo.md").write_text(ARTICLE, encoding="utf-8")
    return build_site(content=content_copy, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)


URL = "/2014/04/20/budget-2014-les-priorites/"


def test_titles_summaries_and_bodies_are_typeset_in_the_build(typeset_site):
    html = typeset_site.html(URL)
    soup = typeset_site.soup(URL)
    assert soup.h1.get_text() == f"Budget 2014{NBSP}: les priorités{NNBSP}?"
    assert f"Budget 2014{NBSP}: les priorités{NNBSP}? – " in soup.title.get_text()
    assert f"Une hausse{NNBSP}; pas de «{NBSP}surprise{NBSP}»{NNBSP}!" in html
    body = soup.select_one(".article__body") or soup.article
    assert f"Le budget{NBSP}: voir" in body.get_text()
    assert f"le détail</a>{NNBSP}!" in html
    link = soup.find("a", string="le détail")
    assert link["href"] == "https://www.example.org/budget?annee=2014"
    assert link["title"] == "Détail : 2014", "attributes are never changed"
    assert "code : inchangé ; vraiment ?" in soup.pre.get_text()
    assert any(c.get_text() == "a ? b : c" for c in soup.find_all("code"))
    meta = soup.find("meta", attrs={"name": "description"})["content"]
    assert meta == f"Une hausse{NNBSP}; pas de «{NBSP}surprise{NBSP}»{NNBSP}!"
    # the slug comes from the title as the editor typed it: URLs do not move
    assert typeset_site.path(URL).is_file()


def test_listings_and_feeds_carry_the_typeset_text(typeset_site):
    assert f"Budget 2014{NBSP}: les priorités{NNBSP}?" in typeset_site.html("/archives/")
    feed = (typeset_site.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    # (Pelican's feed writer strips tags from titles, which folds their no-break spaces)
    assert f"Une hausse{NNBSP}; pas de «{NBSP}surprise{NBSP}»{NNBSP}!" in feed


def test_it_can_be_turned_off(build_site, content_copy):
    (content_copy / "articles" / "2014-04-20-budget-typo.md").write_text(ARTICLE, encoding="utf-8")
    site = build_site(content=content_copy, TYPOGRAPHY_FRENCH=False, CACHE_CONTENT=False,
                      LOAD_CONTENT_CACHE=False)
    assert site.soup(URL).h1.get_text() == "Budget 2014 : les priorités ?"
