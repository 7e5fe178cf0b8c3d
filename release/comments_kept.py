"""A publication never loses published comments by mistake.

Two checks, run by every release (``python -m release publish`` and the
publisher's full publications):

* ``check_store``: with ``COMMENTS_STORE_REQUIRED`` (on in publishconf.py),
  the comment store must be an existing folder. A typo in ``COMMENTS_STORE``
  would otherwise build a site with no comment at all, and publish it.
* ``check_kept``: the new release is compared with the served one through
  their open-data tables (``donnees/commentaires.json``: every published
  comment, with the address of its page). A comment the served release shows
  and the new one does not is refused, unless it is explained: its page is
  no longer published (an article removed, unpublished, expired), or the
  store still holds it in another state (a moderator unpublished or rejected
  it), or the audit log names it (deleted, erased). The operator can still
  accept the loss explicitly (``--allow-dropped-comments``).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

OPENDATA_JSON = "commentaires.json"
SHOWN = 5  # dropped comments named in the message


def check_store(store: Path, required: bool) -> str | None:
    """The French refusal when a required store is missing, else None."""
    if not required or store.is_dir():
        return None
    return (f"le dossier des commentaires {store} n'existe pas : la publication aurait retiré "
            "du site tous les commentaires publiés. Vérifiez COMMENTS_STORE (la même valeur que "
            "pour le service de commentaires) ; pour un site vraiment neuf, créez le dossier vide")


def published(release: Path, opendata_dir: str) -> dict[str, str] | None:
    """Comment id -> path of its page, from a release's open data; None when the
    release has no readable table (then nothing can be compared)."""
    try:
        data = json.loads((release / opendata_dir / OPENDATA_JSON).read_text(encoding="utf-8"))
        rows = data["commentaires"]
        return {str(row["commentaire_id"]): urlsplit(str(row["contenu_url"])).path for row in rows}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def pages_of(release: Path, manifest: str) -> set[str] | None:
    """Paths of the pages that accept or show comments in a release (its threads manifest)."""
    try:
        data = json.loads((release / manifest).read_text(encoding="utf-8"))
        return {urlsplit(str(t["url"])).path for t in data["threads"].values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def explained(store: Path, ids: set[str]) -> set[str]:
    """Those of ``ids`` the store still holds (in any state) or the audit log names."""
    from comment_service.ops.audit import AuditLog
    from comment_service.store import CommentStore, DamagedComment, StoreError

    known = set()
    comments = CommentStore(store)
    for comment_id in ids:
        try:
            comments.get(comment_id)
            known.add(comment_id)
        except DamagedComment:  # there, though unreadable: not a wrong store
            known.add(comment_id)
        except (StoreError, LookupError, ValueError):
            pass
    try:
        named = {entry.get("comment_id") for entry in AuditLog(store).entries()}
    except (OSError, ValueError):
        named = set()
    return known | (ids & named)


def check_kept(served: Path, new: Path, *, store: Path, opendata_dir: str, manifest: str) -> str | None:
    """The French refusal when the new release drops published comments unexplained, else None."""
    before = published(served, opendata_dir)
    if not before:
        return None
    after = published(new, opendata_dir) or {}
    pages = pages_of(new, manifest) or set()
    dropped = {cid for cid, page in before.items() if cid not in after and page in pages}
    lost = sorted(dropped - explained(store, dropped))
    if not lost:
        return None
    names = ", ".join(lost[:SHOWN]) + (f" et {len(lost) - SHOWN} autre(s)" if len(lost) > SHOWN else "")
    return (f"{len(lost)} commentaire(s) publié(s) disparaîtrai(en)t du site alors que leur page reste "
            f"publiée ({names}), et le dossier des commentaires {store} ne les connaît pas. Vérifiez "
            "COMMENTS_STORE ; si ce retrait est voulu, publiez avec --allow-dropped-comments "
            "(make publish ALLOW_DROPPED_COMMENTS=1)")
