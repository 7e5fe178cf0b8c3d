"""Absolute addresses where they are required, in development builds too:
the Atom feeds and sitemap.xml. See ``plugin.py``."""

from .plugin import AbsoluteFeedWriter, register

__all__ = ["AbsoluteFeedWriter", "register"]
