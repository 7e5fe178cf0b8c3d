"""One word per thing: categories are « catégories », tags are « étiquettes »,
in the menu, the pages, their descriptions and the editors' guide."""

from __future__ import annotations

import re

from support import ROOT

OTHER_WORDS = re.compile(r"\bthèmes?\b|\bmots?-clés?\b", re.IGNORECASE)


def test_menu_and_pages_use_one_word_each(dev_site):
    home = dev_site.soup("/")
    link = home.select_one('nav a[href$="/categories/"]')
    assert link.get_text(strip=True) == "Catégories"
    assert dev_site.soup("/categories/").h1.get_text(strip=True) == "Catégories"
    assert dev_site.soup("/etiquettes/").h1.get_text(strip=True) == "Étiquettes"
    tag = dev_site.soup("/etiquette/maubuisson/")
    assert tag.h1.get_text().startswith("Étiquette «\u00a0Maubuisson\u00a0»")
    assert "avec l'étiquette «\u00a0Maubuisson\u00a0»" in tag.find(
        "meta", attrs={"name": "description"})["content"]


def test_no_other_word_anywhere_in_the_built_site(dev_site):
    found = []
    for page in sorted(dev_site.output.rglob("*.html")):
        if "pagefind" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        found += [f"{page.relative_to(dev_site.output)}: {m.group(0)}"
                  for m in OTHER_WORDS.finditer(text)]
    assert found == []


def test_the_guide_uses_the_same_words():
    guide = (ROOT / "docs" / "guide-redaction.md").read_text(encoding="utf-8")
    assert "catégorie" in guide and "étiquette" in guide
    # « thème » is the site's look there (the theme), never a category or a tag
    assert not re.search(r"\bmots?-clés?\b|\bthèmes\b", guide, re.IGNORECASE)
