"""The commenters' pages are valid HTML (vnu): confirmation, rights (with a
multi-line text and a hostile name), unsubscribe, the invalid-link page."""

from __future__ import annotations

from comment_service.commenters import links
from commenterlib import links_in, path_of, smtp, world  # noqa: F401 (fixtures)
from quality.qualitylib import run_vnu, vnu  # noqa: F401 (fixture)
from comment_testlib import SECRET


def test_every_commenter_page_is_valid_html(world, vnu, tmp_path):  # noqa: F811
    world.post(name="<script>alert(1)</script> & «\u00a0Zoé\u00a0»", text="Ligne 1\nLigne 2 <b>gras</b>")
    [mail] = world.round()
    confirm, rights = [u for u in links_in(mail) if "/confirmation/" in u or "/mon-commentaire/" in u]
    unsubscribe = rights.replace("/mon-commentaire/", "/desabonnement/")
    pages = {"confirm": world.client.request("GET", path_of(confirm)),
             "rights": world.client.request("GET", path_of(rights)),
             "unsubscribe": world.client.request("GET", path_of(unsubscribe)),
             "confirmed": world.client.request("POST", path_of(confirm), b"",
                                               content_type="application/x-www-form-urlencoded"),
             "invalid": world.client.request("GET", "/commentaires/mon-commentaire/" + links.make(
                 SECRET, links.RIGHTS, "20260101T000000000000Z-0123456789ab", "a@b.fr", world.clock() + 9))}
    for name, resp in pages.items():
        assert resp.status == (404 if name == "invalid" else 200), name
        assert "<script>" not in resp.text
        (tmp_path / f"{name}.html").write_bytes(resp.body)
    assert run_vnu(vnu, tmp_path) == []
