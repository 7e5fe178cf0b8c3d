"""The publisher: one long-running process that owns publication (docs/publishing.md)."""

from .publish import STATUS_FILE, Publisher, Result, apply_changes, refusal

__all__ = ["STATUS_FILE", "Publisher", "Result", "apply_changes", "refusal"]
