"""The WSGI application, called through wsgiref.validate with real environ dicts."""

from __future__ import annotations

import errno
import html
import json
import logging
import os
import re
import urllib.parse

import pytest

from comment_service.rules import messages as msg
from comment_service.captcha.challenge import answer_for
from comment_service.config import ConfigError, RateLimit, load_config

from comment_testlib import (CLOSED, PREFIX, SITE, THREAD, THREAD_URL, WSGIClient, make_config, stored_files,
                             tmp_leftovers, write_manifest)

FORM = "application/x-www-form-urlencoded"


def only_file(store):
    files = stored_files(store)
    assert len(files) == 1, files
    return json.loads(files[0].read_text(encoding="utf-8"))


# --- routes, prefix, methods ----------------------------------------------------

def test_health(client):
    resp = client.request("GET", PREFIX + "/sante")
    assert resp.status == 200 and resp.json == {"status": "ok"}


@pytest.mark.parametrize("script_name,path", [
    ("", "/commentaires/sante"),  # gunicorn at the root behind nginx, prefix kept
    ("/commentaires", "/sante"),  # mounted under the prefix
    ("", "/sante"),  # reached directly
])
def test_prefix_handling(client, script_name, path):
    assert client.request("GET", path, script_name=script_name).status == 200


def test_captcha_urls_follow_the_mount_point(client):
    for script_name, path in (("", PREFIX + "/captcha"), ("/commentaires", "/captcha")):
        resp = client.request("GET", path, script_name=script_name)
        data = resp.json
        assert resp.status == 200 and resp.headers["cache-control"] == "no-store"
        assert data["image"] == f"/commentaires/captcha/{data['token']}.png"
        assert data["audio"] == f"/commentaires/captcha/{data['token']}.mp3"
        assert data["expires_in"] == 600



@pytest.mark.parametrize("script_name", ["/ailleurs", "//evil.example", "/commentaires/x", "\xe9\n"])
def test_urls_come_from_the_configured_prefix_never_script_name(client, script_name):
    """SCRIPT_NAME is set by gunicorn from a client's header: it must not change the URLs."""
    resp = client.request("GET", "/captcha", script_name=script_name, validate=False)
    data = resp.json
    assert resp.status == 200 and data["image"] == f"/commentaires/captcha/{data['token']}.png"
    assert data["audio"] == f"/commentaires/captcha/{data['token']}.mp3"
    page = client.post_form(data={"name": "a", "text": "b"}, script_name=script_name, validate=False).text
    assert f'action="/commentaires/fils/{THREAD}"' in page and "evil" not in page and "ailleurs" not in page
    assert f'src="/commentaires/captcha/' in page


def test_captcha_media(client):
    token, _ = client.captcha()
    png = client.request("GET", f"{PREFIX}/captcha/{token}.png")
    assert png.status == 200 and png.headers["content-type"] == "image/png"
    assert png.body.startswith(b"\x89PNG") and png.body == client.request("GET", f"{PREFIX}/captcha/{token}.png").body
    audio = client.request("GET", f"{PREFIX}/captcha/{token}.mp3")
    # MP3 frames (an MPEG sync word), small enough for a slow mobile link.
    assert audio.status == 200 and audio.headers["content-type"] == "audio/mpeg"
    assert audio.body[0] == 0xFF and audio.body[1] & 0xE0 == 0xE0 and len(audio.body) <= 60_000
    assert client.request("GET", f"{PREFIX}/captcha/{token}.wav").status == 404
    head = client.request("HEAD", f"{PREFIX}/captcha/{token}.png")
    assert head.status == 200 and head.body == b"" and head.headers["content-length"] == str(len(png.body))


def test_two_workers_render_the_same_media_for_a_token(tmp_path, clock):
    """Two app instances (two workers) with the same secret: same bytes for the same token."""
    from comment_service.web.app import create_app

    first = WSGIClient(create_app(make_config(tmp_path), clock=clock), make_config(tmp_path))
    second = WSGIClient(create_app(make_config(tmp_path), clock=clock), make_config(tmp_path))
    token, _ = first.captcha()
    other, _ = first.captcha()
    for ext in ("mp3", "png"):
        a = first.request("GET", f"{PREFIX}/captcha/{token}.{ext}")
        b = second.request("GET", f"{PREFIX}/captcha/{token}.{ext}")
        assert a.status == b.status == 200 and a.body == b.body
        assert first.request("GET", f"{PREFIX}/captcha/{other}.{ext}").body != a.body


def test_media_of_forged_or_expired_token_is_404(client, clock):
    token, _ = client.captcha()
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.request("GET", f"{PREFIX}/captcha/{forged}.png").status == 404
    clock.advance(601)
    assert client.request("GET", f"{PREFIX}/captcha/{token}.png").status == 404


@pytest.mark.parametrize("path", ["/", "/nope", "/commentaires", "/fils/", "/fils/a/b", "/captcha/x.png",
                                  "/captcha/../../etc/passwd.png", "/fils/UPPER", "/fils/-x", "/sante/x"])
def test_unknown_routes_are_404(client, path):
    resp = client.request("GET", PREFIX + path)
    assert resp.status == 404 and resp.json["message"] == msg.NOT_FOUND


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE"])
@pytest.mark.parametrize("thread", ["pas-de-fil", CLOSED])
def test_unknown_or_closed_thread_is_404_whatever_the_method(client, method, thread):
    resp = client.request(method, f"{PREFIX}/fils/{thread}")
    assert resp.status == 404 and "allow" not in resp.headers
    if method != "HEAD":
        assert resp.json["message"] == msg.THREAD_NOT_FOUND


@pytest.mark.parametrize("method,path,allow", [
    ("POST", "/sante", "GET, HEAD"),
    ("DELETE", "/captcha", "GET, HEAD, OPTIONS"),
    ("POST", "/captcha", "GET, HEAD, OPTIONS"),
    ("GET", f"/fils/{THREAD}", "POST, OPTIONS"),
    ("PUT", f"/fils/{THREAD}", "POST, OPTIONS"),
])
def test_wrong_method_is_405_with_allow(client, method, path, allow):
    resp = client.request(method, PREFIX + path)
    assert resp.status == 405 and resp.headers["allow"] == allow and resp.json["message"]


def test_errors_are_html_for_browsers(client):
    resp = client.request("GET", PREFIX + "/nope", headers={"Accept": "text/html,application/xhtml+xml"})
    assert resp.status == 404 and resp.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in resp.text and "<main" in resp.text and "<h1>" in resp.text


# --- JSON submissions -------------------------------------------------------------

def test_accepted_json_comment_is_stored_whole(client, config):
    data = client.fields(name="Zoé", email="zoe@example.fr", text="Première ligne\r\nseconde ligne")
    resp = client.post_json(data=data)
    assert resp.status == 202
    body = resp.json
    assert body["status"] == "pending" and body["message"] == msg.SUCCESS_PENDING
    assert re.fullmatch(r"\d{8}T\d{12}Z-[0-9a-f]{12}", body["id"])
    stored = only_file(config.store)
    assert stored == {
        "id": body["id"], "thread": THREAD, "name": "Zoé", "email": "zoe@example.fr",
        "text": "Première ligne\nseconde ligne", "created_at": stored["created_at"], "status": "pending",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stored["created_at"])
    path = stored_files(config.store)[0]
    assert path == config.store / "pending" / THREAD / f"{body['id']}.json"
    assert "Zoé" in path.read_text(encoding="utf-8")  # ensure_ascii=False
    assert tmp_leftovers(config.store) == []


def test_auto_moderation(make_client):
    client = make_client(moderation="auto")
    resp = client.post_json(data=client.fields())
    assert resp.status == 202 and resp.json["status"] == "approved"
    assert resp.json["message"] == msg.SUCCESS_APPROVED
    files = stored_files(client.config.store)
    assert len(files) == 1 and files[0].parent.parent.name == "approved"


def refused(client, resp, status, field=None):
    assert resp.status == status, resp.body
    body = resp.json
    assert isinstance(body["message"], str) and body["message"]
    if field:
        assert field in body["errors"], body
    assert stored_files(client.config.store) == []
    assert tmp_leftovers(client.config.store) == []
    return body


def test_501_characters_refused_500_accepted(client):
    body = refused(client, client.post_json(data=client.fields(text="é" * 501)), 400, "text")
    assert body["errors"]["text"] == msg.TEXT_TOO_LONG.format(max=500, count=501)
    for text in ("é" * 500, "ab\r\n" * 166 + "ab", "e\u0301" * 500):
        assert client.post_json(data=client.fields(text=text)).status == 202
    assert len(stored_files(client.config.store)) == 3


def test_wrong_captcha_is_refused_and_burned(client):
    data = client.fields()
    good = data["captcha_answer"]
    data["captcha_answer"] = "AAAAA" if good != "AAAAA" else "BBBBB"
    body = refused(client, client.post_json(data=data), 400, "captcha_answer")
    assert body["errors"]["captcha_answer"] == msg.CAPTCHA_WRONG
    data["captcha_answer"] = good  # the right answer is now too late: the token is spent
    body = refused(client, client.post_json(data=data), 400, "captcha_answer")
    assert body["errors"]["captcha_answer"] == msg.CAPTCHA_USED


def test_reused_captcha_is_refused(client):
    data = client.fields()
    assert client.post_json(data=data).status == 202
    resp = client.post_json(data=dict(data, text="Encore"))
    assert resp.status == 400 and resp.json["errors"]["captcha_answer"] == msg.CAPTCHA_USED
    assert len(stored_files(client.config.store)) == 1


def test_expired_captcha_is_refused(client, clock):
    data = client.fields()
    clock.advance(601)
    body = refused(client, client.post_json(data=data), 400, "captcha_answer")
    assert body["errors"]["captcha_answer"] == msg.CAPTCHA_EXPIRED


def test_forged_captcha_is_refused(client):
    data = client.fields()
    token = data["captcha_token"]
    data["captcha_token"] = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    refused(client, client.post_json(data=data), 400, "captcha_answer")
    # A token signed with another secret, answered correctly for that secret.
    from comment_service.captcha import challenge as captcha
    other = captcha.issue("not the service secret").token
    data.update(captcha_token=other, captcha_answer=answer_for(other, "not the service secret"))
    refused(client, client.post_json(data=data), 400, "captcha_answer")


def test_missing_captcha_is_refused(client):
    data = client.fields()
    del data["captcha_token"], data["captcha_answer"]
    body = refused(client, client.post_json(data=data), 400, "captcha_answer")
    assert body["errors"]["captcha_answer"] == msg.CAPTCHA_MISSING


def test_honeypot_is_refused(client):
    refused(client, client.post_json(data=client.fields(website="http://spam.example")), 400, "website")


def test_too_fast_is_refused_then_accepted_with_new_captcha(make_client, clock):
    client = make_client(min_fill_seconds=3)
    data = client.fields()
    clock.advance(1)
    body = refused(client, client.post_json(data=data), 400, "captcha_answer")
    assert body["errors"]["captcha_answer"] == msg.CAPTCHA_TOO_FAST
    data = client.fields()
    clock.advance(3)
    assert client.post_json(data=data).status == 202


def test_unknown_and_closed_threads_are_404(client):
    body = refused(client, client.post_json("pas-de-fil", data=client.fields()), 404)
    assert body["message"] == msg.THREAD_NOT_FOUND
    refused(client, client.post_json(CLOSED, data=client.fields()), 404)


def test_missing_manifest_means_404_and_a_log_line(make_client, tmp_path, caplog):
    client = make_client(threads_file=tmp_path / "absent.json")
    with caplog.at_level(logging.ERROR, logger="comment_service"):
        resp = client.post_json(data=client.fields())
    assert resp.status == 404
    assert any("absent.json" in r.getMessage() for r in caplog.records)


def test_manifest_is_reloaded_when_it_changes(client, config):
    assert client.post_json("nouveau-fil", data=client.fields()).status == 404
    write_manifest(config.threads_file, {"nouveau-fil": {"url": "/nouveau/", "title": "Nouveau", "open": True}})
    st = os.stat(config.threads_file)
    os.utime(config.threads_file, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert client.post_json("nouveau-fil", data=client.fields()).status == 202
    write_manifest(config.threads_file, {"nouveau-fil": {"url": "/nouveau/", "title": "Nouveau", "open": False}})
    os.utime(config.threads_file, ns=(st.st_atime_ns, st.st_mtime_ns + 2 * 10**9))
    assert client.post_json("nouveau-fil", data=client.fields()).status == 404


def test_oversize_body_is_413_before_reading(client):
    data = client.fields(text="a" * 20000)
    resp = client.post_json(data=data)
    refused(client, resp, 413)
    # Refused from CONTENT_LENGTH alone: a body that is never sent is never awaited.
    resp = client.request("POST", f"{PREFIX}/fils/{THREAD}", b"", content_type="application/json",
                          content_length=str(10**9))
    refused(client, resp, 413)


def test_missing_content_length_is_411(client):
    resp = client.request("POST", f"{PREFIX}/fils/{THREAD}", b"", content_type="application/json",
                          content_length=None)
    refused(client, resp, 411)
    # (wsgiref.validate itself rejects such an environ: call the bare app as a lax server would)
    resp = client.request("POST", f"{PREFIX}/fils/{THREAD}", b"{}", content_type="application/json",
                          content_length="12abc", validate=False)
    refused(client, resp, 400)


@pytest.mark.parametrize("raw", ["\u00b2", "1\u00b2", "\u0661\u0662", "\uff11\uff12", "-1", "+12", "1_0", "1 2",
                                 "1234567890123"])
def test_malformed_content_length_is_400(client, raw):
    # "²" and other digits str.isdigit() accepts but int() refuses, signs, underscores, too long.
    resp = client.request("POST", f"{PREFIX}/fils/{THREAD}", b"{}", content_type="application/json",
                          content_length=raw, validate=False)
    refused(client, resp, 400)


@pytest.mark.parametrize("ctype", ["text/plain", "multipart/form-data; boundary=x", "application/xml", "",
                                   "application/json; charset=latin-1", "application/jsonp"])
def test_wrong_content_type_is_415(client, ctype):
    resp = client.post_json(data=client.fields(), content_type=ctype)
    assert resp.status == 415 and stored_files(client.config.store) == []


def test_json_charset_utf8_is_accepted(client):
    assert client.post_json(data=client.fields(), content_type="application/json; charset=UTF-8").status == 202


@pytest.mark.parametrize("raw", [b"{", b"", b"nan", b'{"text": NaN}', b"[" * 5000 + b"]" * 5000,
                                 b'{"text": "a",}', b"\xef\xbb\xbf{}"])
def test_malformed_json_is_400(client, raw):
    body = refused(client, client.post_json(raw=raw), 400)
    assert body["message"] in (msg.BAD_JSON, msg.JSON_NOT_OBJECT, msg.BAD_ENCODING)


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"42", b"null"])
def test_json_that_is_not_an_object_is_400(client, raw):
    assert refused(client, client.post_json(raw=raw), 400)["message"] == msg.JSON_NOT_OBJECT


def test_invalid_utf8_is_400(client):
    data = client.fields()
    raw = json.dumps(data).encode().replace(b"Un commentaire.", b"Un comm\xe9ntaire \xff")
    assert refused(client, client.post_json(raw=raw), 400)["message"] == msg.BAD_ENCODING
    form = urllib.parse.urlencode(client.fields()).encode().replace(b"Un+commentaire", b"Un+comm%E9ntaire")
    resp = client.post_form(raw=form, headers={"Accept": "application/json"})
    assert resp.status == 400 and stored_files(client.config.store) == []


def test_lone_surrogate_in_json_is_400(client):
    raw = json.dumps(client.fields()).replace("Un commentaire.", "\\ud800").encode()
    body = refused(client, client.post_json(raw=raw), 400, "text")
    assert body["errors"]["text"] == msg.TEXT_CONTROL


def test_duplicated_json_key_is_400(client):
    data = client.fields()
    raw = json.dumps(data)[:-1] + ', "text": "deux fois"}'
    refused(client, client.post_json(raw=raw.encode()), 400)


@pytest.mark.parametrize("field,value", [("text", 42), ("text", None), ("name", ["a"]), ("email", {"a": 1}),
                                         ("captcha_answer", 12345), ("captcha_token", True)])
def test_non_string_values_are_400(client, field, value):
    data = client.fields()
    data[field] = value
    refused(client, client.post_json(data=data), 400, field if field != "captcha_token" else None)


@pytest.mark.parametrize("missing", ["name", "text", "captcha_token", "captcha_answer"])
def test_missing_field_is_400(client, missing):
    data = client.fields()
    del data[missing]
    field = "captcha_answer" if missing.startswith("captcha") else missing
    refused(client, client.post_json(data=data), 400, field)


def test_rate_limit_429_with_retry_after(make_client, clock):
    client = make_client(rate_limit=RateLimit(2, 600))
    assert client.post_json(data=client.fields()).status == 202
    clock.advance(100)
    assert client.post_json(data=client.fields()).status == 202
    resp = client.post_json(data=client.fields())
    assert resp.status == 429 and resp.headers["retry-after"] == "500"
    assert len(stored_files(client.config.store)) == 2
    # Another client is not affected; after the window the first may post again.
    assert client.post_json(data=client.fields(remote_addr="192.0.2.7"), remote_addr="192.0.2.7").status == 202
    clock.advance(501)
    assert client.post_json(data=client.fields()).status == 202


def test_captcha_rate_limit(make_client):
    client = make_client(captcha_rate_limit=RateLimit(3, 600))
    for _ in range(3):
        assert client.request("GET", PREFIX + "/captcha").status == 200
    resp = client.request("GET", PREFIX + "/captcha")
    assert resp.status == 429 and int(resp.headers["retry-after"]) > 0 and resp.json["message"]


def test_media_rate_limit(make_client, clock):
    client = make_client(media_rate_limit=RateLimit(3, 600))
    token, _ = client.captcha()
    for ext in ("png", "mp3", "png"):
        assert client.request("GET", f"{PREFIX}/captcha/{token}.{ext}").status == 200
    for method, ext in (("GET", "png"), ("GET", "mp3"), ("HEAD", "png")):
        resp = client.request(method, f"{PREFIX}/captcha/{token}.{ext}")
        assert resp.status == 429 and 0 < int(resp.headers["retry-after"]) <= 600
    assert client.request("GET", f"{PREFIX}/captcha/{token}.png", headers={"Accept": "application/json"}).json["message"]
    # Per client, and a bucket of its own: new captchas and other clients are not affected.
    assert client.request("GET", f"{PREFIX}/captcha/{token}.png", remote_addr="192.0.2.7").status == 200
    assert client.request("GET", PREFIX + "/captcha").status == 200
    clock.advance(601)
    token, _ = client.captcha()
    assert client.request("GET", f"{PREFIX}/captcha/{token}.mp3").status == 200


def test_media_are_cached_privately_until_the_token_expires(client, clock):
    token, _ = client.captcha()
    for ext in ("png", "mp3"):
        resp = client.request("GET", f"{PREFIX}/captcha/{token}.{ext}")
        assert resp.headers["cache-control"] == "private, max-age=600"
    clock.advance(100.4)
    resp = client.request("GET", f"{PREFIX}/captcha/{token}.png")
    assert resp.headers["cache-control"] == "private, max-age=499"


def test_media_rate_limit_configuration():
    assert load_config({}).media_rate_limit == RateLimit(120, 600)
    assert load_config({"COMMENTS_MEDIA_RATE_LIMIT": "30/60"}).media_rate_limit == RateLimit(30, 60)
    for bad in ("30", "0/60", "x/y", "30/0"):
        with pytest.raises(ConfigError, match="COMMENTS_MEDIA_RATE_LIMIT"):
            load_config({"COMMENTS_MEDIA_RATE_LIMIT": bad})


def test_forwarded_for_only_trusted_from_configured_proxy(make_client):
    client = make_client(rate_limit=RateLimit(1, 600))
    xff = {"X-Forwarded-For": "198.51.100.1"}
    assert client.post_json(data=client.fields(), headers=xff).status == 202
    # Not trusted: the header is ignored, the same address (127.0.0.1) is limited.
    assert client.post_json(data=client.fields(), headers={"X-Forwarded-For": "198.51.100.2"}).status == 429

    trusting = make_client(rate_limit=RateLimit(1, 600), trusted_proxies=frozenset({"127.0.0.1"}),
                           store=client.config.store.parent / "store2")
    for ip in ("198.51.100.1", "198.51.100.2"):
        assert trusting.post_json(data=trusting.fields(), headers={"X-Forwarded-For": ip}).status == 202
    resp = trusting.post_json(data=trusting.fields(), headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.2"})
    assert resp.status == 429  # the right-most address not a trusted proxy is the client


# --- origins and CORS ---------------------------------------------------------------

def test_foreign_origin_is_403(client):
    for post in (client.post_json, client.post_form):
        resp = post(data=client.fields(), headers={"Origin": "https://evil.example"})
        assert resp.status == 403
    resp = client.post_json(data=client.fields(), headers={"Origin": "null"})
    assert resp.status == 403
    assert client.request("GET", PREFIX + "/captcha", headers={"Origin": "https://evil.example"}).status == 403
    assert stored_files(client.config.store) == []


def test_own_host_as_origin_only_in_development(make_client):
    """A page served from the request's own Host passes only in development (DNS rebinding)."""
    own = {"Origin": "http://rebound.example:8001", "Host": "rebound.example:8001"}
    dev = make_client(env="development")
    assert dev.post_json(data=dev.fields(), headers=own).status == 202
    assert dev.request("GET", PREFIX + "/captcha", headers=own).status == 200
    prod = make_client(env="production")
    assert prod.post_json(data=prod.fields(), headers=own).status == 403
    assert prod.post_form(data=prod.fields(), headers=own).status == 403
    assert prod.request("GET", PREFIX + "/captcha", headers=own).status == 403
    assert prod.request("OPTIONS", f"{PREFIX}/fils/{THREAD}", headers=own).status == 403
    # The configured origins still pass in production.
    resp = prod.post_json(data=prod.fields(), headers={"Origin": SITE, "Host": "rebound.example:8001"})
    assert resp.status == 202 and resp.headers["access-control-allow-origin"] == SITE


def test_allowed_origin_gets_cors_headers(client):
    resp = client.post_json(data=client.fields(), headers={"Origin": SITE})
    assert resp.status == 202 and resp.headers["access-control-allow-origin"] == SITE
    resp = client.request("GET", PREFIX + "/captcha", headers={"Origin": SITE})
    assert resp.headers["access-control-allow-origin"] == SITE


def test_preflight(client):
    resp = client.request("OPTIONS", f"{PREFIX}/fils/{THREAD}",
                          headers={"Origin": SITE, "Access-Control-Request-Method": "POST",
                                   "Access-Control-Request-Headers": "content-type"})
    assert resp.status == 204
    assert resp.headers["access-control-allow-origin"] == SITE
    assert "POST" in resp.headers["access-control-allow-methods"]
    assert "content-type" in resp.headers["access-control-allow-headers"].lower()
    resp = client.request("OPTIONS", f"{PREFIX}/fils/{THREAD}", headers={"Origin": "https://evil.example"})
    assert resp.status == 403
    # Without Origin it is no CORS request: a plain OPTIONS answer that grants nothing.
    for path, method in ((f"{PREFIX}/fils/{THREAD}", "POST"), (f"{PREFIX}/captcha", "GET")):
        resp = client.request("OPTIONS", path)
        assert resp.status == 204 and resp.headers["allow"] == f"{method}, OPTIONS"
        assert not any(k.startswith("access-control-") for k in resp.headers)


# --- HTML form flow -----------------------------------------------------------------

def hidden_value(page: str, name: str) -> str:
    """The value of the form's input named ``name``."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def form_data(client, **kw):
    data = client.fields(**kw)
    return data


def test_form_success_redirects_to_the_article(client, config):
    resp = client.post_form(data=form_data(client), headers={"Origin": SITE})
    assert resp.status == 303
    assert resp.headers["location"] == SITE + THREAD_URL + "#commentaire-envoye"
    assert len(stored_files(config.store)) == 1


def test_no_open_redirect(client):
    data = form_data(client)
    data.update(next="https://evil.example/", redirect="https://evil.example/", url="//evil.example")
    resp = client.post_form(data=data)
    assert resp.status == 303 and resp.headers["location"].startswith(SITE + "/")


def test_no_javascript_first_post_gets_the_form_with_a_captcha(client, config):
    """A static page cannot carry a fresh token: the first post arrives without one."""
    resp = client.post_form(data={"name": "Léa", "email": "lea@example.fr", "text": "Mon avis\r\nsur deux lignes",
                                  "website": ""})
    assert resp.status == 400 and resp.headers["content-type"].startswith("text/html")
    page = resp.text
    assert '<html lang="fr">' in page and "<main" in page and "<h1" in page
    assert f'href="{SITE}/theme/css/main.css"' in page
    assert msg.SUMMARY_CAPTCHA_ONLY in page and 'href="#comment-captcha-answer"' in page
    assert 'value="Léa"' in page and 'value="lea@example.fr"' in page
    assert ">\nMon avis\nsur deux lignes</textarea>" in page
    token = hidden_value(page, "captcha_token")
    assert f'src="/commentaires/captcha/{token}.png"' in page and 'alt="' in page
    assert f'href="/commentaires/captcha/{token}.mp3"' in page and "Écouter le code" in page
    assert 'name="action" value="regenerer"' in page and "Régénérer" in page
    assert "mailto:contact@valdoise.fr" in page
    assert f'href="{SITE}{THREAD_URL}"' in page
    assert f'action="/commentaires/fils/{THREAD}"' in page
    assert stored_files(config.store) == []
    # Second step: the visitor copies the code and sends again.
    resp = client.post_form(data={"name": "Léa", "email": "lea@example.fr", "text": "Mon avis\nsur deux lignes",
                                  "website": "", "captcha_token": token,
                                  "captcha_answer": answer_for(token, config.secret).lower()})
    assert resp.status == 303
    assert only_file(config.store)["text"] == "Mon avis\nsur deux lignes"


def test_form_errors_list_every_field_and_keep_values(client):
    data = form_data(client, name="", email="pas-une-adresse", text="x" * 501, captcha_answer="AAAAA")
    page = client.post_form(data=data).text
    for anchor in ("comment-name", "comment-email", "comment-text", "comment-captcha-answer"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert msg.TEXT_TOO_LONG.format(max=500, count=501) in page
    assert 'value="pas-une-adresse"' in page and "x" * 501 in page
    assert 'aria-invalid="true"' in page and "Erreur\u00a0: " in page
    assert "Vous avez dépassé la limite de 1\u00a0caractère. Nombre de caractères utilisés\u00a0: 501 / 500" in page


def test_regenerate_keeps_everything_typed(client, config):
    data = form_data(client, text="Texte <gardé> & \"cité\"", name="Éloïse", action="regenerer")
    old_token = data["captcha_token"]
    resp = client.post_form(data=data)
    assert resp.status == 200 and resp.headers["content-type"].startswith("text/html")
    page = resp.text
    new_token = hidden_value(page, "captcha_token")
    assert new_token != old_token
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert "<gardé>" not in textarea and html.unescape(textarea).strip() == 'Texte <gardé> & "cité"'
    assert 'value="Éloïse"' in page
    assert msg.REGENERATED in page
    assert stored_files(config.store) == []


def test_duplicated_form_field_is_400(client):
    pairs = list(form_data(client).items()) + [("text", "deux fois")]
    resp = client.post_form(raw=urllib.parse.urlencode(pairs).encode())
    assert resp.status == 400 and stored_files(client.config.store) == []
    assert "plusieurs fois" in resp.text


def test_too_many_form_fields_is_400(client):
    pairs = list(form_data(client).items()) + [(f"f{i}", "x") for i in range(50)]
    resp = client.post_form(raw=urllib.parse.urlencode(pairs).encode())
    assert resp.status == 400 and stored_files(client.config.store) == []


def test_form_rate_limited_keeps_the_text(make_client):
    client = make_client(rate_limit=RateLimit(1, 600))
    assert client.post_form(data=form_data(client)).status == 303
    resp = client.post_form(data=form_data(client, text="Mon texte précieux"))
    assert resp.status == 429 and resp.headers["retry-after"]
    assert "Mon texte précieux" in resp.text and "Réessayez dans 10 minutes" in resp.text


# --- failing disk ------------------------------------------------------------------------

def test_failing_fsync_gives_503_and_leaves_nothing(client, config, monkeypatch):
    data = client.fields()
    real_fsync = os.fsync

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    resp = client.post_json(data=data)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert resp.status == 503 and resp.json["message"] == msg.STORE_FAILED
    assert stored_files(config.store) == [] and tmp_leftovers(config.store) == []


def test_failing_fsync_form_keeps_the_text(client, config, monkeypatch):
    data = form_data(client, text="À garder malgré la panne")

    def read_only(fd):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "fsync", read_only)
    resp = client.post_form(data=data)
    monkeypatch.undo()
    assert resp.status == 503 and "À garder malgré la panne" in resp.text
    assert stored_files(config.store) == [] and tmp_leftovers(config.store) == []


def test_thread_folder_blocked_by_a_file_gives_503(client, config):
    (config.store / "pending").mkdir(parents=True, exist_ok=True)
    (config.store / "pending" / THREAD).write_text("not a folder")
    resp = client.post_json(data=client.fields())
    assert resp.status == 503
    assert stored_files(config.store) == [] and tmp_leftovers(config.store) == []


def test_store_root_is_a_file_gives_503(make_client, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the store folder should be")
    client = make_client(store=blocker)
    assert client.request("GET", PREFIX + "/sante").status == 503
    assert client.request("GET", PREFIX + "/captcha").status == 503
    from comment_service.captcha import challenge as captcha
    token = captcha.issue(client.config.secret).token
    resp = client.post_json(data={"name": "a", "text": "b", "captcha_token": token,
                                  "captcha_answer": answer_for(token, client.config.secret)})
    assert resp.status == 503 and resp.json["message"]


def test_huge_headers_do_not_crash(client):
    huge = {"X-Huge": "a" * 1_000_000, "Accept": "text/html," + "x" * 100_000, "X-Forwarded-For": "1," * 50_000}
    assert client.request("GET", PREFIX + "/sante", headers=huge).status == 200
    resp = client.post_json(data=client.fields(), headers={"Origin": "https://" + "o" * 100_000})
    assert resp.status == 403 and stored_files(client.config.store) == []
