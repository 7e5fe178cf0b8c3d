"""Unpublishing on time: ``Expire:`` (or ``Expiration:``) on articles, pages
and events. See ``expiry.py``."""

from .expiry import (FIELDS, check_metadata, declare_fields, expiry_of, is_expired,
                     register, upcoming)

__all__ = ["FIELDS", "check_metadata", "declare_fields", "expiry_of", "is_expired",
           "register", "upcoming"]
