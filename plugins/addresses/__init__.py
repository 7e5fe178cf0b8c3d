"""Each content's address computed once (see ``addresses.py``)."""

from .addresses import freeze, register

__all__ = ["freeze", "register"]
