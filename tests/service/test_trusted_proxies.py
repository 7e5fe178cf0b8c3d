"""Issue 21, item 8: X-Forwarded-For is believed only from the proxies named in
COMMENTS_TRUSTED_PROXIES (default: none; ``unix`` names gunicorn's Unix socket,
where only nginx's group may connect); the old name is refused with a clear
message."""

from __future__ import annotations

import pytest

from comment_testlib import make_config
from comment_service.config import ConfigError, load_config
from comment_service.web.httpio import Request


def _client(config, remote: str, forwarded: str | None) -> str:
    environ = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    return Request(environ, config).client


def test_no_proxy_is_trusted_by_default():
    config = load_config({})
    assert config.trusted_proxies == frozenset()
    assert _client(config, "127.0.0.1", "198.51.100.7") == "127.0.0.1"


def test_forwarded_for_from_an_untrusted_peer_is_ignored(tmp_path):
    config = load_config({"COMMENTS_TRUSTED_PROXIES": "192.0.2.1"})
    assert _client(config, "127.0.0.1", "198.51.100.7") == "127.0.0.1"  # a local process, not nginx
    assert _client(config, "192.0.2.1", "198.51.100.7") == "198.51.100.7"
    assert _client(config, "", "198.51.100.7") == "unknown"  # a Unix socket is not named


def test_unix_names_the_socket_only_nginx_can_open():
    config = load_config({"COMMENTS_TRUSTED_PROXIES": "unix"})
    assert _client(config, "", "198.51.100.7") == "198.51.100.7"
    assert _client(config, "127.0.0.1", "198.51.100.7") == "127.0.0.1"


def test_the_old_setting_name_is_refused_with_the_new_one():
    with pytest.raises(ConfigError, match="COMMENTS_TRUSTED_PROXIES"):
        load_config({"COMMENTS_TRUSTED_PROXY": "127.0.0.1"})
    with pytest.raises(ConfigError, match="COMMENTS_TRUSTED_PROXIES"):
        load_config({"COMMENTS_TRUSTED_PROXIES": "nginx.local"})
