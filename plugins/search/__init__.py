"""Full-text search: a Pagefind index of the built site (see ``search.py``)."""

from .search import PAGES_KEY, build_index, content_glob, pagefind_executable, register

__all__ = ["PAGES_KEY", "build_index", "content_glob", "pagefind_executable", "register"]
