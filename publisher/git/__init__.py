"""From an editor's commit to the live site (docs/publishing.md, « Publier avec git »).

* ``python -m publisher.git staged FILES…``: the ``pre-commit`` hook
  (``.pre-commit-config.yaml``, ``make hooks``): the editorial checks of the
  staged content files, without a build (``publisher/git/staged.py``);
* ``python -m publisher.git install BARE --checkout DIR``: the server's bare
  repository and its ``pre-receive`` and ``post-receive`` hooks (``hooks.py``),
  which call ``python -m publisher.git pre-receive|post-receive BARE``;
* ``repo.py``: the git commands they use.
"""
