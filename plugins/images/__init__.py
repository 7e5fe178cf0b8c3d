"""Body images: checks, responsive derivatives, figures and galleries (see ``images.py``)."""

from .images import image_size, local_file, process, register

__all__ = ["image_size", "local_file", "process", "register"]
