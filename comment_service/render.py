"""Rendering of responses (pure: builds bytes, no I/O).

Everything a visitor sent is escaped with ``html.escape(value, quote=True)``,
in text and in attributes alike. Pages are French, with semantic markup and
the site's stylesheet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus
from urllib.parse import quote

from . import messages as msg
from .validation import Submission

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    @property
    def status_line(self) -> str:
        return f"{self.status} {HTTPStatus(self.status).phrase}"

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def e(value: object) -> str:
    return escape(str(value), quote=True)


def json_response(status: int, obj: object, headers: list[tuple[str, str]] | None = None) -> Response:
    body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    return Response(status, [("Content-Type", JSON_TYPE), ("Cache-Control", "no-store"),
                             ("X-Content-Type-Options", "nosniff")] + (headers or []), body)


def html_response(status: int, page: str, site_origin: str, headers: list[tuple[str, str]] | None = None) -> Response:
    csp = (
        "default-src 'none'; img-src 'self'; media-src 'self'; "
        f"style-src 'self' {site_origin}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    return Response(status, [
        ("Content-Type", HTML_TYPE),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", csp),
        ("Referrer-Policy", "same-origin"),
    ] + (headers or []), page.encode("utf-8"))


def _layout(title: str, body: str, site_url: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{e(title)} – Département du Val-d'Oise</title>
<link rel="stylesheet" href="{e(site_url + '/theme/css/main.css')}">
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header class="site-header">
<div class="container site-header__inner">
<p class="site-name"><a href="{e(site_url + '/')}" rel="home">Département du Val-d'Oise</a></p>
</div>
</header>
<main id="contenu" class="container" tabindex="-1">
{body}
</main>
</body>
</html>
"""


def message_page(title: str, message: str, site_url: str, back_url: str | None = None,
                 back_label: str = "Retour à l'article") -> str:
    back = f'<p><a href="{e(back_url)}">{e(back_label)}</a></p>' if back_url else \
        f'<p><a href="{e(site_url + "/")}">Retour à l\'accueil du site</a></p>'
    return _layout(title, f"<h1>{e(title)}</h1>\n<p>{e(message)}</p>\n{back}", site_url)


@dataclass(frozen=True)
class CaptchaView:
    token: str
    image_url: str
    audio_url: str


@dataclass(frozen=True)
class FormView:
    """Everything the form page shows."""

    action_url: str
    article_url: str
    article_title: str
    site_url: str
    contact_email: str
    submission: Submission
    errors: dict[str, str]
    summary: str | None  # heading of the error summary (None: no errors)
    captcha: CaptchaView | None  # None when no new captcha could be issued
    captcha_unavailable: str | None = None
    notice: str | None = None  # polite status message (e.g. a new code was drawn)
    alert: str | None = None  # blocking message that is not about a field (429, 503)
    max_length: int = 500
    name_max: int = 80


_ORDER = ("name", "email", "text", "captcha_answer", "website", "captcha_token", "action")


def _error(field_id: str, message: str | None) -> str:
    if not message:
        return ""
    return (f'<p id="{field_id}-erreur" class="field__error">'
            f'<span class="visually-hidden">Erreur : </span>{e(message)}</p>\n')


def _describedby(*ids: str | None) -> str:
    ids = [i for i in ids if i]
    return f' aria-describedby="{" ".join(ids)}"' if ids else ""


def form_page(view: FormView) -> str:
    s, errors = view.submission, view.errors
    parts: list[str] = ["<h1>Ajouter un commentaire</h1>",
                        f'<p class="lead">Article : <a href="{e(view.article_url)}">{e(view.article_title)}</a></p>']

    if errors:
        items = []
        for key in _ORDER:
            if key in errors:
                target = "champ-captcha_answer" if key in ("captcha_token", "action") else f"champ-{key}"
                if key == "website":
                    target = "champ-text"
                items.append(f'<li><a href="#{target}">{e(errors[key])}</a></li>')
        parts.append(
            '<div class="error-summary" role="alert" aria-labelledby="resume-erreurs" tabindex="-1">\n'
            f'<h2 id="resume-erreurs" class="error-summary__title">{e(view.summary or msg.SUMMARY)}</h2>\n'
            f'<ul class="error-summary__list">\n{chr(10).join(items)}\n</ul>\n</div>'
        )
    if view.alert and not errors:
        parts.append(
            '<div class="error-summary" role="alert" aria-labelledby="resume-erreurs" tabindex="-1">\n'
            f'<h2 id="resume-erreurs" class="error-summary__title">{e(view.alert)}</h2>\n</div>')
    if view.notice:
        parts.append(f'<p class="notice" role="status">{e(view.notice)}</p>')

    def group(key: str, inner: str) -> str:
        cls = "field field--error" if key in errors else "field"
        return f'<div class="{cls}">\n{inner}</div>'

    def invalid(key: str) -> str:
        return ' aria-invalid="true"' if key in errors else ""

    form: list[str] = [f'<form method="post" action="{e(view.action_url)}" accept-charset="UTF-8" novalidate>']
    # Name.
    form.append(group("name", (
        '<label for="champ-name">Nom ou pseudonyme (obligatoire, publié)</label>\n'
        f'<p id="champ-name-aide" class="field__hint">{view.name_max} caractères au maximum.</p>\n'
        + _error("champ-name", errors.get("name"))
        + f'<input class="input" id="champ-name" name="name" type="text" autocomplete="name" value="{e(s.name)}"'
          f'{_describedby("champ-name-aide", "champ-name-erreur" if "name" in errors else None)}'
          f'{invalid("name")} required>\n')))
    # E-mail.
    form.append(group("email", (
        '<label for="champ-email">Adresse électronique (facultative, jamais publiée)</label>\n'
        + _error("champ-email", errors.get("email"))
        + f'<input class="input" id="champ-email" name="email" type="email" autocomplete="email" spellcheck="false" '
          f'value="{e(s.email)}"{_describedby("champ-email-erreur" if "email" in errors else None)}'
          f'{invalid("email")}>\n')))
    # Text, with a static character count (the page works without JavaScript).
    n = len(s.text)
    # The same words as the article page's counter (theme/static/js/comment-form.js).
    count_msg = f"Nombre de caractères utilisés : {n} / {view.max_length}"
    if n > view.max_length:
        extra = n - view.max_length
        count_msg = (f"Vous avez dépassé la limite de {extra}\u00a0caractère{'s' if extra > 1 else ''}. "
                     + count_msg)
    over = " char-count--over" if n > view.max_length else ""
    form.append(group("text", (
        '<label for="champ-text">Commentaire (obligatoire)</label>\n'
        f'<p id="champ-text-aide" class="field__hint">{view.max_length} caractères au maximum. '
        'Le commentaire sera publié après relecture par un modérateur.</p>\n'
        + _error("champ-text", errors.get("text"))
        + f'<textarea class="input" id="champ-text" name="text" rows="8" cols="60"'
          f'{_describedby("champ-text-aide", "champ-text-compte", "champ-text-erreur" if "text" in errors else None)}'
          f'{invalid("text")} required>\n{e(s.text)}</textarea>\n'
        + f'<p id="champ-text-compte" class="char-count{over}" aria-live="polite">{e(count_msg)}</p>\n')))
    # Honeypot: hidden from people and from assistive technologies.
    form.append(
        '<div class="hp-field" hidden aria-hidden="true">\n'
        '<label for="champ-website">Ne remplissez pas ce champ</label>\n'
        f'<input id="champ-website" name="website" type="text" tabindex="-1" autocomplete="off" value="{e(s.website)}">\n'
        '</div>')
    # Captcha.
    cap: list[str] = ['<fieldset class="captcha">', '<legend>Code de sécurité (obligatoire)</legend>']
    if view.captcha is not None:
        c = view.captcha
        cap.append(
            '<p id="captcha-aide" class="field__hint">Recopiez les 5 caractères de l\'image : lettres ou chiffres, '
            'majuscules ou minuscules indifférentes. Chaque code ne sert qu\'une fois.</p>')
        cap.append(
            f'<img class="captcha__image" src="{e(c.image_url)}" width="280" height="90" '
            'alt="Code de sécurité : image de 5 caractères déformés. Si vous ne pouvez pas la lire, '
            'écoutez le code ou demandez-en un nouveau.">')
        cap.append(f'<p class="captcha__actions"><a href="{e(c.audio_url)}" type="audio/wav">Écouter le code</a> '
                   '(fichier son WAV, en français)</p>')
        cap.append(f'<input type="hidden" name="captcha_token" value="{e(c.token)}">')
        cap.append('<label for="champ-captcha_answer">Code recopié</label>')
        cap.append(_error("champ-captcha_answer", errors.get("captcha_answer")).rstrip("\n"))
        cap.append(
            '<input class="input input--short" id="champ-captcha_answer" name="captcha_answer" type="text" autocomplete="off" '
            'autocapitalize="characters" spellcheck="false" inputmode="text" value=""'
            f'{_describedby("captcha-aide", "champ-captcha_answer-erreur" if "captcha_answer" in errors else None)}'
            f'{invalid("captcha_answer")} required>')
    else:
        cap.append(f'<p class="field__error">{e(view.captcha_unavailable or msg.UNAVAILABLE)}</p>')
    subject = quote(f"Commentaire : {view.article_title}")
    cap.append(
        '<p class="captcha__contact">Vous ne pouvez utiliser ni l\'image ni le son ? Écrivez-nous à '
        f'<a href="mailto:{e(view.contact_email)}?subject={e(subject)}">{e(view.contact_email)}</a> '
        'en indiquant l\'article et votre commentaire : nous le publierons pour vous.</p>')
    cap.append("</fieldset>")
    form.append("\n".join(p for p in cap if p))
    # Buttons: the main one first, so that Enter in a field sends the comment.
    form.append(
        '<div class="form-actions">\n'
        '<button type="submit" class="button">Envoyer le commentaire</button>\n'
        '<button type="submit" class="button button--secondary" name="action" value="regenerer">'
        'Regénérer le code de sécurité</button>\n'
        '</div>')
    form.append("</form>")
    parts.append("\n".join(form))
    parts.append(f'<p><a href="{e(view.article_url)}">Retour à l\'article « {e(view.article_title)} »</a></p>')

    title = "Ajouter un commentaire"
    if errors:
        title = "Erreur : " + title
    return _layout(f"{title} – {view.article_title}", "\n".join(parts), view.site_url)
