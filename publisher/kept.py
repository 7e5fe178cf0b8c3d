"""The page data the publisher keeps between publications, made cheap to
render again.

* Addresses: each content's ``url`` is computed once by the build itself
  (``plugins/addresses``), so the kept objects answer it at no cost.
* ``narrowed``: Pelican's ``generate_tags``/``generate_categories``/
  ``generate_authors`` first compute, for every tag, category and author,
  its articles in date order (a scan of every article per tag: 0.7 s at
  5,000 articles), then hand each page to the writer, which writes only the
  selected ones. During a selective publication the generator is shown only
  the tags, categories and authors whose pages may be written; its context
  (what templates list) keeps them all.
"""

from __future__ import annotations

import contextlib

#: Taxonomies of Pelican's articles generator: a dict (tags) or a list of pairs.
TAXONOMIES = ("tags", "categories", "authors")


@contextlib.contextmanager
def narrowed(generators, wanted):
    """While inside, each taxonomy holds only the entries whose articles
    ``wanted(taxonomy, articles)`` accepts."""
    from pelican.generators import ArticlesGenerator

    saved = []
    try:
        for gen in generators:
            if not isinstance(gen, ArticlesGenerator):
                continue
            for name in TAXONOMIES:
                value = getattr(gen, name, None)
                if isinstance(value, dict):
                    kept = {key: arts for key, arts in value.items() if wanted(name, arts)}
                elif isinstance(value, list):
                    kept = [(key, arts) for key, arts in value if wanted(name, arts)]
                else:
                    continue
                saved.append((gen, name, value))
                setattr(gen, name, kept)
        yield
    finally:
        for gen, name, value in saved:
            setattr(gen, name, value)
