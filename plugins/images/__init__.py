"""Body images with their dimensions and lazy loading (see ``images.py``)."""

from .images import image_size, lazy_images, local_file, register

__all__ = ["image_size", "lazy_images", "local_file", "register"]
