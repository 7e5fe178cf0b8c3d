"""The accessibility feedback channel: the form's route, at WSGI level and over
real HTTP (gunicorn): acknowledged only once on disk, everything typed kept on
a refusal, hostile input never a 500 (comment_service/accessibility/)."""

from __future__ import annotations

import html
import json
import re
import urllib.parse

import pytest

from comment_testlib import PREFIX, SITE, answer_for, start_gunicorn, stop_server
from comment_service.accessibility import recourse
from comment_service.accessibility.records import FOLDER, Requests

PATH = PREFIX + "/accessibilite/demande"
FORM = "application/x-www-form-urlencoded"


def post(client, data, **kw):
    kw.setdefault("headers", {"Origin": SITE})
    return client.request("POST", PATH, urllib.parse.urlencode(data).encode("utf-8"), content_type=FORM, **kw)


def good(client, **overrides):
    token, answer = client.captcha()
    data = {"name": "Léa Martin", "email": "lea.martin@example.org", "page": "https://www.valdoise.fr/agenda/",
            "text": "Le calendrier ne se lit pas au clavier.", "captcha_token": token, "captcha_answer": answer,
            "website": ""}
    data.update(overrides)
    return data


def stored(config):
    return Requests(config.store).all()


def test_a_request_is_stored_whole_then_acknowledged(client, config):
    resp = post(client, good(client))
    assert resp.status == 303, resp.text
    assert resp.headers["location"] == PREFIX + "/accessibilite/demande/recue"
    [request] = stored(config)
    assert (request.name, request.email, request.page) == ("Léa Martin", "lea.martin@example.org",
                                                           "https://www.valdoise.fr/agenda/")
    assert request.text == "Le calendrier ne se lit pas au clavier."
    assert list((config.store / FOLDER).glob("*.json")) == [config.store / FOLDER / f"{request.id}.json"]
    assert not list((config.store / "tmp").glob("*"))
    ack = client.request("GET", PREFIX + "/accessibilite/demande/recue")
    assert ack.status == 200
    page = html.unescape(ack.text)
    for before, text, url, after in recourse.ROUTES:  # the Défenseur des droits' three routes
        assert (text or after) in page
        if url:
            assert f'href="{url}"' in ack.text
    assert "Libre réponse 71120, 75342 Paris CEDEX\u00a007" in page


def test_without_a_code_the_service_asks_for_it_and_keeps_everything(client, config):
    data = good(client, captcha_token="", captcha_answer="", text="Mon texte <b>précieux</b>\r\nligne 2")
    resp = post(client, data)
    assert resp.status == 400
    page = resp.text
    assert "Pour envoyer votre demande, recopiez le code de sécurité." in html.unescape(page)
    assert "Mon texte &lt;b&gt;précieux&lt;/b&gt;\nligne 2</textarea>" in page
    assert 'value="lea.martin@example.org"' in page and 'value="https://www.valdoise.fr/agenda/"' in page
    assert re.search(r'id="a11y-captcha-image" src="/commentaires/captcha/[^"]+\.png"', page)
    assert 'href="/commentaires/captcha/' in page and "Régénérer le code de sécurité" in html.unescape(page)
    assert stored(config) == []


@pytest.mark.parametrize("field,value,message", [
    ("email", "", "Indiquez votre adresse électronique"),
    ("email", "pas-une-adresse", "adresse"),
    ("page", "javascript:alert(1)", "L’adresse de la page doit commencer par https://"),
    ("page", "https://exemple.fr/a b", "L’adresse de la page"),
    ("text", "   \u200b ", "Décrivez le problème rencontré."),
    ("text", "x" * 4001, "La description dépasse 4000 caractères (elle en compte 4001)"),
    ("name", "\u202eabc", "nom"),
    ("website", "http://spam.example", "Ce champ doit rester vide."),
])
def test_each_field_is_checked_and_the_text_kept(client, config, field, value, message):
    data = good(client, **{field: value})
    resp = post(client, data)
    assert resp.status == 400, resp.text
    assert message in html.unescape(resp.text)
    assert 'aria-invalid="true"' in resp.text
    assert html.escape(data["text"], quote=False)[:200] in resp.text
    assert stored(config) == []


def test_a_wrong_code_is_spent_and_a_new_one_drawn(client, config):
    data = good(client)
    answer = data["captcha_answer"]
    data["captcha_answer"] = "ZZZZZ" if answer != "ZZZZZ" else "AAAAA"
    assert post(client, data).status == 400
    data["captcha_answer"] = answer  # the right answer, too late: the token was spent
    resp = post(client, data)
    assert resp.status == 400 and "déjà servi" in html.unescape(resp.text)
    assert stored(config) == []


def test_regenerate_draws_a_new_code_and_keeps_the_text(client):
    data = good(client, action="regenerer", captcha_answer="")
    resp = post(client, data)
    assert resp.status == 200
    assert "Un nouveau code de sécurité a été affiché." in resp.text
    assert data["text"] in html.unescape(resp.text)
    token = re.search(r'name="captcha_token" id="a11y-captcha-token" value="([^"]+)"', resp.text)[1]
    assert token != data["captcha_token"]


def test_a_foreign_origin_is_refused(client, config):
    resp = post(client, good(client), headers={"Origin": "https://evil.example"})
    assert resp.status == 403 and stored(config) == []


def test_the_disk_refusing_keeps_the_text_and_says_so(client, config):
    config.store.mkdir(parents=True, exist_ok=True)
    (config.store / FOLDER).write_text("not a folder")  # the write cannot land
    resp = post(client, good(client, text="Texte à ne pas perdre"))
    assert resp.status == 503
    assert "Texte à ne pas perdre" in resp.text and "n’a pas pu être enregistrée" in html.unescape(resp.text)


@pytest.mark.parametrize("raw", [b"name=%ff", b"text=a&text=b", b"\xff\xfe", b"captcha_token[]=x",
                                 b"page=%ED%A0%80", "&".join(f"f{i}=1" for i in range(50)).encode()])
def test_hostile_bodies_never_give_a_500(client, raw):
    resp = client.request("POST", PATH, raw, content_type=FORM, headers={"Origin": SITE})
    assert 400 <= resp.status < 500, (resp.status, resp.text)


def test_hostile_fields_never_give_a_500(client, config, blns):
    for value in blns[::7]:
        resp = post(client, good(client, name=value[:80], page=value[:300], text=value or "x"))
        assert resp.status in (303, 400), (value, resp.status)
    for request in stored(config):
        assert json.loads((config.store / FOLDER / f"{request.id}.json").read_text("utf-8"))["id"] == request.id


def test_the_form_page_answers_a_get(client):
    resp = client.request("GET", PATH)
    assert resp.status == 200 and 'id="a11y-captcha-image"' in resp.text
    assert "Signaler un défaut d’accessibilité" in html.unescape(resp.text)


def test_over_real_http_two_workers(tmp_path):
    server = start_gunicorn(tmp_path / "g")
    try:
        token, answer = server.captcha("192.0.2.10")
        body = urllib.parse.urlencode({"name": "Paul", "email": "paul@example.org", "page": "",
                                       "text": "Le PDF n’est pas balisé.", "captcha_token": token,
                                       "captcha_answer": answer, "website": ""}).encode()
        req_headers = {"Content-Type": FORM, "X-Forwarded-For": "192.0.2.10", "Origin": SITE}
        status, headers, _ = _no_redirect(server, body, req_headers)
        assert status == 303, headers
        [request] = Requests(server.store).all()
        assert request.text == "Le PDF n’est pas balisé." and request.page == ""
        status, _, page = server.request("GET", PREFIX + "/accessibilite/demande/recue")
        assert status == 200 and "Libre réponse 71120" in page.decode("utf-8")
        status, _, page = server.request("POST", PATH, b"text=%ff", req_headers)
        assert status == 400
    finally:
        stop_server(server)


def _no_redirect(server, body, headers):
    import http.client
    host, port = server.base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", PATH, body, headers)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("content", [b"", b"\xff\xfe", b"[]", b'{"id": "x"}', b"{" * 5000,
                                     b'{"id": "ID", "name": 1, "email": "", "page": "", "text": "",'
                                     b' "received_at": "2026-01-01T00:00:00Z"}',
                                     b'{"id": "ID", "name": "", "email": "", "page": "", "text": "",'
                                     b' "received_at": "hier"}'])
def test_a_damaged_request_file_is_skipped_never_a_crash(tmp_path, content):
    requests = Requests(tmp_path / "store")
    good = requests.add("Léa", "lea@example.org", "", "Texte.")
    bad_id = "20260101T000000000000Z-0123456789ab"
    (requests.folder / f"{bad_id}.json").write_bytes(content.replace(b"ID", bad_id.encode()))
    (requests.folder / "pas-un-id.json").write_text("{}")
    assert [r.id for r in requests.all()] == [good.id]
    assert requests.get(bad_id) is None and requests.get("../pending") is None
    assert requests.set_answer(bad_id, "x", "alice") is None
