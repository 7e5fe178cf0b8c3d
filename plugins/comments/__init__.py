"""Approved comments into the site, and the threads manifest for the service."""

from .comments import Comment, load_thread, register, text_to_html

__all__ = ["Comment", "load_thread", "register", "text_to_html"]
