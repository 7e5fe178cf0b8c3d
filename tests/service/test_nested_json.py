"""Issue 21, item 1: a JSON body nested as deep as the body limit allows never
gives a 5xx, over WSGI and over real HTTP, and leaves one log line per refusal
(no traceback)."""

from __future__ import annotations

import json
import logging

import pytest

from comment_testlib import PREFIX, THREAD, start_gunicorn, stop_server
from comment_service import defaults
from comment_service.web.httpio import parse_json
from support import forget_pelican_log_dedup


def nested(depth: int, field: str = "name", open_: str = "[", close: str = "]") -> bytes:
    """A JSON object whose ``field`` holds ``depth`` nested arrays (or objects)."""
    inner = open_ * depth + close * depth if open_ == "[" else '{"a":' * depth + "1" + "}" * depth
    return ('{"text": "Bonjour", "%s": %s}' % (field, inner)).encode("ascii")


def depths(limit: int) -> list[int]:
    """Depths from 1 to what fits under the body limit (each level is two bytes)."""
    top = (limit - 40) // 2
    return sorted({1, 10, 100, 200, 300, 400, 500, 700, 900, 990, 1000, 1100, 1500, 3000, top // 2, top})


def test_parse_json_handles_any_depth_without_recursion():
    for depth in depths(defaults.MAX_BODY):
        body = nested(depth)
        if len(body) > defaults.MAX_BODY:
            continue
        try:
            parsed = parse_json(body)
        except Exception as exc:  # only the service's own refusal may leave it
            assert type(exc).__name__ == "HTTPError", (depth, exc)
            assert exc.status == 400
        else:
            assert "name" in parsed.fields
    shallow = ("[" * 10 + '"\\ud800"' + "]" * 10).encode()
    parsed = parse_json(b'{"name": ' + shallow + b"}")
    assert parsed.invalid == {"name"}


@pytest.mark.parametrize("shape", ["[", "{"])
def test_nested_json_over_wsgi_never_5xx_and_logs_one_line(client, caplog, shape):
    caplog.set_level(logging.INFO)
    for depth in depths(client.config.max_body):
        body = nested(depth, open_=shape)
        if len(body) > client.config.max_body:
            continue
        caplog.clear()
        forget_pelican_log_dedup()  # the same refusal line at every depth: count each
        resp = client.post_json(raw=body)
        assert resp.status < 500, (depth, resp.status, resp.body[:200])
        assert resp.status == 400, (depth, resp.status)
        message = resp.json["message"] if "message" in resp.json else json.dumps(resp.json)
        assert any(ch in message for ch in "éèàç") or "JSON" in message
        records = [r for r in caplog.records if r.name == "comment_service"]
        assert len(records) == 1, [r.getMessage()[:120] for r in records]
        assert records[0].exc_info is None
        assert len(records[0].getMessage()) < 500


def test_nested_json_over_gunicorn_never_5xx(tmp_path):
    server = start_gunicorn(tmp_path, workers=1)
    try:
        statuses = {}
        for depth in depths(defaults.MAX_BODY):
            body = nested(depth)
            if len(body) > defaults.MAX_BODY:
                continue
            status, _, _ = server.request("POST", f"{PREFIX}/fils/{THREAD}", body,
                                          {"Content-Type": "application/json"})
            statuses[depth] = status
    finally:
        stop_server(server)
    assert all(s < 500 for s in statuses.values()), statuses
    log = (tmp_path / "gunicorn.err").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "RecursionError" not in log
    assert len(log) < 200 * len(statuses) + 4000, len(log)
