"""The publisher: one long-running process that owns publication (docs/publishing.md)."""

__all__ = ["STATUS_FILE", "Publisher", "Result", "apply_changes", "refusal"]


def __getattr__(name):  # imported on first use: the git hooks need none of it
    if name in __all__:
        from . import publish

        return getattr(publish, name)
    raise AttributeError(name)
