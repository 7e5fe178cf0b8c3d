"""The accessibility request form on the statement page (built with Pelican):
it posts to the comment service without JavaScript, carries the comment form's
counting texts and its own script, and the page's routes of recourse are the
ones of comment_service/accessibility/recourse.py."""

from __future__ import annotations

import json

from comment_service.accessibility import TEXT_MAX, recourse
from support import squash


def test_the_form_posts_to_the_service_and_works_without_script(dev_site):
    soup = dev_site.soup("/accessibilite/")
    form = soup.select_one("form[data-a11y-form]")
    settings = dev_site.settings
    assert form["method"] == "post"
    assert form["action"] == settings["COMMENTS_SERVICE_URL"] + "/accessibilite/demande"
    assert form["data-captcha-url"] == settings["COMMENTS_SERVICE_URL"] + "/captcha"
    names = {field["name"] for field in form.select("input[name], textarea[name]")}
    assert {"name", "email", "page", "text", "website", "captcha_token", "captcha_answer"} <= names
    assert form.select_one("#a11y-email").has_attr("required")
    assert not form.select_one("#a11y-page").has_attr("required")
    assert form.select_one("#a11y-captcha").has_attr("hidden")  # the service asks for the code
    assert "Le code de sécurité vous sera demandé à l'étape suivante." in squash(form.get_text(" "))
    for field in form.select("input:not([type=hidden]):not([tabindex='-1']), textarea"):
        assert soup.select_one(f"label[for={field['id']}]"), field["id"]
    count = squash(form.select_one("#a11y-text-count").get_text())
    assert f"0 sur {TEXT_MAX}" in count or str(TEXT_MAX) in count
    config = json.loads(soup.select_one("#a11y-form-config").string)
    assert config["max"] == TEXT_MAX and config["texts"]["countUsed"]
    script = soup.select_one("script[src$='accessibility-form.js']")["src"]
    assert dev_site.path(script).is_file()
    css = {link["href"] for link in soup.select("link[rel=stylesheet]")}
    assert any(href.endswith("comment-form/comment-form.css") for href in css)


def test_the_routes_of_recourse_come_from_one_place(dev_site):
    routes = dev_site.soup("/accessibilite/").select(".statement__routes li")
    assert len(routes) == len(recourse.ROUTES)
    for li, (before, text, url, after) in zip(routes, recourse.ROUTES):
        assert squash(li.get_text()) == squash(before + text + after)
        assert (li.a["href"] if li.a else "") == url
