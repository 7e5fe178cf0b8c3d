"""Approved comments into the site, and the threads manifest for the service."""

from .comments import register
from .manifest import ThreadsManifest
from .published import Comment, load_thread, text_to_html

__all__ = ["Comment", "ThreadsManifest", "load_thread", "register", "text_to_html"]
