"""Fixtures of the deployment tests (helpers in deploylib.py)."""

from __future__ import annotations

import pytest

from deploylib import Nginx, Service, free_port, publish_release


@pytest.fixture(scope="session")
def site_port():
    """The port every module's nginx listens on (one module at a time): the
    release's absolute addresses (SITEURL) name it."""
    return free_port()


@pytest.fixture(scope="session")
def release_root(tmp_path_factory, site_port):
    """One real release for the whole session (SITE_ROOT with current/)."""
    root = tmp_path_factory.mktemp("siteroot")
    publish_release(root, f"http://127.0.0.1:{site_port}")
    return root


@pytest.fixture(scope="module")
def stack(tmp_path_factory, release_root, site_port):
    """nginx (rendered from deploy/) in front of one gunicorn, on the session's release."""
    work = tmp_path_factory.mktemp("nginx")
    store = work / "store"
    service = Service(work, "gunicorn", release_root, store, f"http://127.0.0.1:{site_port}", unix=True)
    # The console's rule, tested for real: our address is not in the allowed network.
    nginx = Nginx(work, release_root, [service.upstream], port=site_port, COMMENTS_RATE="4r/s", COMMENTS_BURST="8",
                  CONSOLE_ACCESS="    allow 192.0.2.0/24;\n    deny all;")
    yield nginx, service, store
    nginx.stop()
    service.stop()
