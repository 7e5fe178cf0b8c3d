"""The reports in ``backup`` and ``restore`` (comment_service/ops/backup.py): every
report file copied under the store's moderation lock with the comments, and
checked before a restore (the report parser; its ids and thread agree with its
place; nothing else in ``reports/``). Messages in French, as the backup's."""

from __future__ import annotations

from pathlib import Path

from ..store.files import fsync_dir
from ..store.layout import is_comment_id, is_thread_id
from .records import REPORTS, Report

FOLDER = REPORTS


def _files(base: Path):
    """(thread folder, comment folder, file) under ``reports/``, sorted; non-folders yielded as they are."""
    for thread in sorted(base.iterdir()):
        for comment in sorted(thread.iterdir()) if thread.is_dir() else [thread]:
            for path in sorted(comment.iterdir()) if comment.is_dir() else [comment]:
                yield thread, comment, path


def copy(root: Path, dest: Path, copy_file) -> int:
    """Copy every report file of ``root`` into ``dest`` (``copy_file(src, dst, data)``); the count."""
    base, copied = root / FOLDER, 0
    if not base.is_dir():
        return 0
    for thread, comment, path in _files(base):
        if not (path.is_file() and path.suffix == ".json" and is_thread_id(thread.name)
                and is_comment_id(comment.name)):
            continue
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        target = dest / FOLDER / thread.name / comment.name / path.name
        copy_file(path, target, data)
        fsync_dir(target.parent)
        copied += 1
    return copied


def problems(src: Path, colon: str, unexpected: str) -> list[str]:
    """Every problem of the ``reports/`` folder of a backup, in French."""
    base, found = src / FOLDER, []
    if not base.is_dir():
        return [f"{base}{colon}{unexpected}"] if base.exists() else []
    for thread, comment, path in _files(base):
        if not path.is_file() or path.suffix != ".json" or path.parent.parent != thread or thread == comment:
            found.append(f"{path}{colon}{unexpected}")
            continue
        try:
            report = Report.from_json(path.read_bytes())
            if (path.name, comment.name, thread.name) != (report.id + ".json", report.comment_id, report.thread):
                raise ValueError("son identifiant, son commentaire ou son fil ne correspond pas à sa place")
        except (ValueError, OSError) as exc:
            found.append(f"{path}{colon}{exc}")
    return found
