"""Videos, sounds, third-party videos and maps written in Markdown (plugin.py);
``python -m media prepare FILE`` makes a phone or camera file web-ready."""

from .plugin import register

__all__ = ["register"]
