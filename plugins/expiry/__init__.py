"""Unpublishing on time: ``Expire:`` (or ``Expiration:``) on articles, pages
and events. See ``expiry.py``."""

from .expiry import (FIELDS, GONE_FOLDER, GONE_SUFFIX, check_metadata, declare_fields, expiry_of,
                     gone_paths, is_expired, register, upcoming)

__all__ = ["FIELDS", "GONE_FOLDER", "GONE_SUFFIX", "check_metadata", "declare_fields", "expiry_of",
           "gone_paths", "is_expired", "register", "upcoming"]
