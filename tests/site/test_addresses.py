"""plugins/addresses: each address computed once, and the site the same byte
for byte as when Pelican formats every address each time it is read."""

from __future__ import annotations

import re

from pelican import signals

import addresses
from pelicanconf import PLUGINS

LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")  # pelican-sitemap's build clock


def tree(root):
    return {p.relative_to(root).as_posix(): LASTMOD.sub(b"", p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_site_is_the_same_with_addresses_computed_once(build_site):
    fixed = []

    def written(generator, **_kwargs):  # after its pages are written
        fixed.extend(vars(a).get("override_url") == a.url for a in generator.articles)

    signals.article_writer_finalized.connect(written)
    try:
        frozen = build_site()
    finally:
        signals.article_writer_finalized.disconnect(written)
    assert fixed and all(fixed)  # every article's address was stored, and is its address
    signals.all_generators_finalized.disconnect(addresses.freeze)
    try:
        plain = build_site(PLUGINS=[p for p in PLUGINS if p != "addresses"])
    finally:
        signals.all_generators_finalized.connect(addresses.freeze)
    assert frozen.output != plain.output
    left, right = tree(frozen.output), tree(plain.output)
    assert left.keys() == right.keys()
    assert [name for name in left if left[name] != right[name]] == []
