"""Full-text search: a Pagefind index of the built site (see ``search.py``)."""

from .search import build_index, pagefind_executable, register

__all__ = ["build_index", "pagefind_executable", "register"]
