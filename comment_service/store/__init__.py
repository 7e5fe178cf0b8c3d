"""The comment store: one JSON file per comment, maildir style.

Everything that reads or changes comments goes through this package, as
every mail program reads a maildir through one library:

- ``layout``: folder names, id and thread patterns, the file format (the one
  place they are written);
- ``files``: durable writes (tmp/, fsync, rename) and the sweep of ``tmp/``;
- ``reading``: ``StoreReader``, the read API and the one policy for damaged
  files (reported with their path, skipped, never a traceback);
- ``commentstore``: ``CommentStore`` = the reader + ``add()``, moderation
  (``move``, ``delete``) and ``sweep_tmp()``.

Read API::

    store = CommentStore(root, on_damaged=None)   # on_damaged(path, reason)
    store.approved(thread) -> list[Comment]       # oldest first
    store.threads_with(state="approved") -> set[str]
    store.iter_comments(state=None, thread=None) -> Iterator[Comment]
    store.list(state="pending", thread=None) -> list[Comment]  # oldest first
    store.get(comment_id) -> Comment              # InvalidId, NotFound, DamagedComment
    store.folder(state) -> Path                   # e.g. for a watcher
    store.sweep_tmp(max_age=3600) -> list[Path]
    store.replies(thread) -> dict[comment_id, Reply]  # the Département's replies
    store.reply_for(comment_id) -> Reply | None

Changes: ``add``, ``move(id, state, reason=, expect=)``, ``delete(id, expect=)``,
``set_reply(id, service, text, author)``, ``remove_reply(id)`` (see commentstore).
"""

from .commentstore import SWEEP_INTERVAL, CommentStore
from .files import TMP_MAX_AGE
from .layout import (CREATED_FORMAT, FIELDS, ID_RE, LOCK_NAME, OPTIONAL_FIELDS, STATES, SUFFIX, THREAD_RE, TMP,
                     Comment, Conflict, DamagedComment, InvalidId, NotFound, StoreError, check_id, check_thread,
                     is_comment_id, is_thread_id, new_id, paragraphs)
from .reading import StoreReader
from .replies import REPLIES, Reply

__all__ = [
    "CREATED_FORMAT", "FIELDS", "ID_RE", "LOCK_NAME", "STATES", "SUFFIX", "SWEEP_INTERVAL", "THREAD_RE",
    "TMP", "TMP_MAX_AGE", "Comment", "CommentStore", "Conflict", "DamagedComment", "OPTIONAL_FIELDS", "InvalidId", "NotFound",
    "REPLIES", "Reply", "StoreError", "StoreReader", "check_id", "check_thread", "is_comment_id", "is_thread_id", "new_id", "paragraphs",
]
