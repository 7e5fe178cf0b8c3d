"""The link check runs at the end of every build (plugins/linkcheck): a broken
internal link, a missing anchor or image, a broken feed entry stops the build
with the source file and the target; the real content passes."""

from __future__ import annotations

import pytest

from editorial import ContentError

from linkcheck import LinkCheckError, check_output

ARTICLE = """Title: Un article avec des liens
Date: 2014-03-01
Category: Institution
Summary: Un chapô.

Premier paragraphe.

{body}
"""


def write(content_copy, body):
    path = content_copy / "articles" / "liens.md"
    path.write_text(ARTICLE.format(body=body), encoding="utf-8")
    return path


def failure(build_site, content_copy, body) -> str:
    write(content_copy, body)
    with pytest.raises(LinkCheckError) as err:
        build_site(content=content_copy)
    return str(err.value)


def test_a_broken_internal_link_names_source_line_and_target(build_site, content_copy):
    message = failure(build_site, content_copy, "Voir [le budget](/2014/04/15/budget-2041/).")
    assert message.startswith("1 lien cassé dans le site construit ; rien n'a été publié")
    assert "- content/articles/liens.md, ligne 8 : lien « /2014/04/15/budget-2041/ » : cette " \
        "adresse n'existe pas dans le site construit " \
        "(page 2014/03/01/un-article-avec-des-liens/index.html)" in message.splitlines()


def test_a_missing_anchor_is_broken(build_site, content_copy):
    message = failure(build_site, content_copy,
                      "Voir [la suite](/mentions-legales/#nulle-part) et [ici](#absente).")
    assert "ancre « /mentions-legales/#nulle-part » : la page existe mais n'a pas d'ancre " \
           "« #nulle-part »" in message
    assert "ancre « #absente »" in message
    assert message.startswith("2 liens cassés")


def test_a_missing_image_is_broken(dev_site, tmp_path):
    """(The editorial checks refuse a missing image in a body before anything is
    written; this is the last line: an image missing from the output itself.)"""
    import shutil

    out = tmp_path / "site"
    shutil.copytree(dev_site.output, out)
    (out / "images" / "budget-2014.svg").unlink()
    broken = check_output(out, [dev_site.settings["SITE_ABSOLUTE_URL"]], ["/commentaires"])
    assert broken and {b.kind for b in broken} == {"image"}
    assert all(b.target.endswith("/images/budget-2014.svg") for b in broken)
    assert "2014/04/15/budget-2014-les-priorites-du-departement/index.html" in {
        b.page for b in broken}


def test_a_foreign_image_is_refused(build_site, content_copy):
    # Refused as the article is read (plugins/images), before the output check.
    write(content_copy, '![Logo](https://cdn.example.com/logo.png){width="10" height="10"}')
    with pytest.raises(ContentError) as err:
        build_site(content=content_copy)
    message = str(err.value)
    assert "image « https://cdn.example.com/logo.png » : une image d'un autre site" in message


def test_links_to_other_sites_and_to_the_comment_service_are_not_fetched(build_site,
                                                                           content_copy):
    write(content_copy, "[Un site](https://www.example.com/) et [commentaires](/commentaires/)"
          " et [écrire](mailto:contact@valdoise.fr) et [la suite](/mentions-legales/).")
    build_site(content=content_copy)


def test_the_real_content_passes_in_both_settings(build_site):
    build_site()
    build_site(settings_file="publishconf.py")


def test_feeds_and_sitemap_are_checked(dev_site, tmp_path):
    import shutil

    out = tmp_path / "site"
    shutil.copytree(dev_site.output, out)
    urls = [dev_site.settings["SITE_ABSOLUTE_URL"]]
    assert check_output(out, urls, ["/commentaires"]) == []
    feed = out / "feeds" / "all.atom.xml"
    feed.write_text(feed.read_text(encoding="utf-8").replace(
        "/2014/06/12/inventer-les-services-publics-de-demain/", "/2014/06/12/disparu/"),
        encoding="utf-8")
    (out / "sitemap.xml").write_text(
        (out / "sitemap.xml").read_text(encoding="utf-8").replace("/archives/", "/archivez/"),
        encoding="utf-8")
    broken = check_output(out, urls, ["/commentaires"])
    pages = {b.page for b in broken}
    assert {"feeds/all.atom.xml", "sitemap.xml"} <= pages
    assert all(b.kind == "flux" for b in broken if b.page.endswith(".xml"))


def test_an_unresolved_placeholder_is_broken(tmp_path):
    (tmp_path / "index.html").write_text(
        '<a href="{filename}/articles/absent.md">x</a><p id="a"></p><a href="#a">a</a>',
        encoding="utf-8")
    broken = check_output(tmp_path, [])
    assert [(b.target, b.kind) for b in broken] == [("{filename}/articles/absent.md", "lien")]


def test_a_draft_preview_alone_in_its_tags_does_not_fail_development(build_site, content_copy):
    (content_copy / "articles" / "brouillon.md").write_text(
        "Title: Un brouillon seul\nDate: 2014-03-01\nCategory: Environnement\n"
        "Tags: mot-cle-unique\nSummary: Un chapô.\nStatus: draft\n\nDu texte.\n",
        encoding="utf-8")
    site = build_site(content=content_copy)
    assert (site.output / "brouillons" / "un-brouillon-seul" / "index.html").is_file()
    assert not (site.output / "etiquette" / "mot-cle-unique").exists()
