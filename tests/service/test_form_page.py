"""The comment form component, rendered (no server, no browser): the service's
no-JavaScript page (render.form_page) and the article's form from a real site
build show the same form; every sentence comes from messages.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from comment_service import form
from comment_service.rules import messages as msg
from comment_service.web.render import CaptchaView, FormView, form_page, message_page
from comment_service.web.threads import Thread
from comment_service.rules.validation import Submission, is_submission_id

SITE = "https://www.valdoise.fr"
SEED = "inventer-les-services-publics-de-demain"
SEED_URL = f"/2014/06/12/{SEED}/"
SEED_TITLE = "Inventer les services publics de demain"
CAPTCHA = CaptchaView("tok.en", "/commentaires/captcha/tok.en.png", "/commentaires/captcha/tok.en.mp3")


def view(**overrides) -> FormView:
    values = dict(
        action_url=f"/commentaires/fils/{SEED}",
        thread=Thread(SEED, SEED_URL, SEED_TITLE, True, "article"),
        moderation="pre", site_url=SITE, contact_email="contact@valdoise.fr",
        submission=Submission(name="Léa", text="Bonjour"), errors={}, summary=None,
        captcha=CAPTCHA)
    values.update(overrides)
    return FormView(**values)


class Form(HTMLParser):
    """The form's structure: its controls (tag, id, name, type) in order, the
    texts of its labels, legend and buttons, and every id of the component."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[tuple] = []
        self.words: list[str] = []
        self.ids: list[str] = []
        self._text: list[str] | None = None
        self._inside = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("class") == "comment-form":
            self._inside = 1
        elif self._inside and tag == "div":
            self._inside += 1
        if not self._inside:
            return
        if a.get("id") and a["id"] != "comment-captcha-image":
            self.ids.append(a["id"])
        if tag in ("input", "textarea", "button"):
            self.controls.append((tag, a.get("id"), a.get("name"), a.get("type")))
        if tag in ("label", "legend", "button", "h1", "h3"):
            self._text = []

    def handle_endtag(self, tag):
        if self._inside and tag == "div":
            self._inside -= 1
        if self._text is not None and tag in ("label", "legend", "button", "h1", "h3"):
            self.words.append(" ".join("".join(self._text).split()))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def parse(html: str) -> Form:
    parser = Form()
    parser.feed(html)
    return parser


def test_the_service_page_and_the_article_show_the_same_form(dev_site):
    article = parse(dev_site.html(SEED_URL))
    service = parse(form_page(view()))
    assert article.controls and article.controls == service.controls
    assert article.words == service.words
    # The script's JSON block is the only addition of the article (no script on the service's page).
    assert [i for i in article.ids if i != "comment-form-config"] == service.ids
    assert article.words == [msg.FORM_TITLE, msg.NAME_LABEL, f"{msg.EMAIL_LABEL} {msg.EMAIL_OPTIONAL}",
                             msg.NOTIFY_LABEL, msg.TEXT_LABEL, msg.HONEYPOT_LABEL, msg.CAPTCHA_LEGEND,
                             msg.CAPTCHA_ANSWER_LABEL, msg.SUBMIT, msg.REGENERATE]


def test_words_fixed_by_the_issue():
    page = form_page(view())
    assert "Régénérer le code de sécurité" in page and "Regénérer" not in page
    assert "Adresse électronique <span class=\"field__optional\">(facultative, jamais publiée)</span>" in page
    assert "anti-spam" not in page


@pytest.mark.parametrize("kind,label,back", [
    ("article", "Article", "Retour à l&#39;article"),
    ("event", "Événement", "Retour à l&#39;événement"),
])
def test_the_page_names_the_kind_of_thread(kind, label, back):
    thread = Thread("fete", "/agenda/fete/", "La fête", True, kind)
    page = form_page(view(thread=thread))
    assert f'<p class="lead">{label}&nbsp;: <a href="{SITE}/agenda/fete/">La fête</a></p>' in page
    assert f'{back} «\u00a0La fête\u00a0»</a>' in page
    assert msg.PAGE_NAME[kind].replace("'", "&#39;") + " et votre commentaire" in page
    other = "événement" if kind == "article" else "article"
    assert f"Retour à l&#39;{other}" not in page


@pytest.mark.parametrize("mode", ["pre", "auto"])
def test_the_page_follows_the_moderation_mode(mode):
    page = form_page(view(moderation=mode))
    intro = msg.INTRO[mode].split("{")[0].replace("'", "&#39;")
    assert intro in page
    other = msg.INTRO["auto" if mode == "pre" else "pre"].split("{")[0].replace("'", "&#39;")
    assert other not in page


def test_a_refusal_says_it_once_with_every_field_error():
    errors = {"name": msg.NAME_MISSING, "text": msg.TEXT_MISSING, "captcha_answer": msg.CAPTCHA_WRONG}
    page = form_page(view(errors=errors, summary=msg.SUMMARY))
    assert page.count("n&#39;a pas été envoyé") == 1
    assert re.search(r"<title>Erreur\u00a0: Ajouter un commentaire", page)
    links = re.findall(r'<li><a href="#([a-z-]+)">', page)
    assert links == ["comment-name", "comment-text", "comment-captcha-answer"]
    for field_id in links:
        assert f'id="{field_id}-error"><span class="visually-hidden">Erreur\u00a0: </span>' in page
    assert page.count('aria-invalid="true"') == 3


def test_a_rate_limit_is_an_alert_not_a_field_error():
    alert = msg.RATE_LIMITED.format(minutes=msg.minutes(600))
    page = form_page(view(alert=alert, submission=Submission(name="Léa", text="Mon texte précieux")))
    heading = re.search(r'<h2 class="error-summary__title" id="comment-form-errors-title">([^<]*)</h2>', page)
    assert heading and heading.group(1) == alert.replace("'", "&#39;")
    assert 'role="alert"' in page and "Mon texte précieux" in page
    assert "aria-invalid" not in page and "<li>" not in page
    assert 'id="comment-text-error" hidden' in page


def test_a_notice_is_a_polite_status():
    page = form_page(view(notice=msg.REGENERATED))
    assert f'role="status" tabindex="-1">{msg.REGENERATED}</p>' in page
    assert 'id="comment-form-errors" role="alert" tabindex="-1"\n       aria-labelledby="comment-form-errors-title" hidden' in page


def test_the_captcha_and_everything_typed_come_back_escaped():
    hostile = '"><script>alert(1)</script>'
    page = form_page(view(submission=Submission(name=hostile, email=hostile, text=hostile),
                          thread=Thread(SEED, SEED_URL, hostile, True, "article")))
    assert "<script>" not in page and "alert(1)" in page
    assert page.count('value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"') == 2
    assert 'src="/commentaires/captcha/tok.en.png"' in page
    assert 'href="/commentaires/captcha/tok.en.mp3"' in page
    assert 'name="captcha_token" id="comment-captcha-token" value="tok.en"' in page
    assert "mailto:contact@valdoise.fr?subject=Commentaire%C2%A0%3A%20%22%3E%3Cscript%3E" in page


def test_each_page_gets_a_fresh_valid_submission_id():
    first, second = view(), view()
    assert first.submission_id != second.submission_id
    assert is_submission_id(first.submission_id)
    assert f'name="submission_id" value="{first.submission_id}">' in form_page(first)


def test_without_a_captcha_the_page_says_why_and_offers_the_contact():
    page = form_page(view(captcha=None, captcha_unavailable=msg.UNAVAILABLE))
    assert msg.UNAVAILABLE in page and "mailto:contact@valdoise.fr" in page
    assert 'name="captcha_answer"' not in page and "<img" not in page


def test_the_character_count_speaks_as_the_script_does():
    assert msg.count_message(0, 500) == "Nombre de caractères utilisés\u00a0: 0 / 500"
    assert msg.count_message(450, 500) == \
        "Nombre de caractères utilisés\u00a0: 450 / 500. Il vous reste 50\u00a0caractères."
    assert msg.count_message(502, 500) == \
        "Vous avez dépassé la limite de 2\u00a0caractères. Nombre de caractères utilisés\u00a0: 502 / 500"
    page = form_page(view(submission=Submission(name="a", text="x" * 501)))
    assert "Vous avez dépassé la limite de 1\u00a0caractère. Nombre de caractères utilisés\u00a0: 501 / 500" in page
    assert "char-count--over" in page


def test_the_script_gets_its_texts_from_the_page():
    config = form.script_config("auto")
    assert config["texts"]["success"] == msg.SUCCESS_APPROVED
    assert config["fieldIds"]["captcha_answer"] == "comment-captcha-answer"
    script = (form.FOLDER / "comment-form.js").read_text(encoding="utf-8")
    # No French sentence is written in the script itself.
    sentences = [s for s in re.findall(r'"([^"]*)"', script) if re.search(r"[a-zé]{3,} [a-zé]{3,}", s) and s != "use strict"]
    assert sentences == [], sentences


def test_message_page_is_escaped_and_links_home():
    page = message_page("Titre <b>", "Message & co", SITE)
    assert "<h1>Titre &lt;b&gt;</h1>" in page and "<p>Message &amp; co</p>" in page
    assert f'<a href="{SITE}/">{msg.BACK_HOME.replace(chr(39), "&#39;")}</a>' in page
    assert "<script" not in page


def test_no_template_of_the_component_or_the_service_disables_escaping():
    folders = [form.FOLDER, form.FOLDER.parent / "templates"]
    for path in sorted(p for folder in folders for p in folder.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", text), path.name
