"""Personal-data changes to stored comments: remove an e-mail address, replace
a name. Used by ``python -m comment_service personal-data`` (purge, erase).

Same guarantees as moderation (``commentstore``): under the moderation lock,
the comment is read again where it is now, then its file is replaced
atomically in place (temporary file under ``tmp/``, fsync, rename, folder
fsync): a reader sees the old comment or the new one, never a mix, and the
service may keep running. A damaged comment is refused (DamagedComment) and
left as it is. Deletion is ``CommentStore.delete`` (it removes the reply too).

    amend(store, comment_id, email="", name=None, expect_state=None) -> Comment | None

returns the comment as written, or None when nothing had to change (so a
second run changes nothing: purge is idempotent).
"""

from __future__ import annotations

from . import files
from .commentstore import CommentStore
from .layout import Comment, StoreError


def amend(store: CommentStore, comment_id: str, *, email: str | None = None, name: str | None = None,
          expect_state: str | None = None) -> Comment | None:
    """Set ``email`` and/or ``name`` (None: leave it) of one comment, atomically.
    InvalidId, NotFound, DamagedComment, Conflict (not in ``expect_state``) or StoreError."""
    with store.claim(comment_id, expect_state) as (_state, _thread, path, comment):
        changed = False
        if email is not None and comment.email != email:
            comment.email, changed = email, True
        if name is not None and comment.name != name:
            comment.name, changed = name, True
        if not changed:
            return None
        try:
            files.rewrite(store.tmp, path, comment.to_json(), comment_id)
        except FileNotFoundError as exc:  # moved by a moderator meanwhile: try again later
            raise StoreError(f"cannot rewrite {comment_id}: it moved meanwhile", exc.errno) from exc
        except OSError as exc:
            raise StoreError(f"cannot rewrite {comment_id}: {exc}", exc.errno) from exc
    return comment
