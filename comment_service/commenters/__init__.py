"""Commenters heard back (issue 25): « Me prévenir par courriel ».

- ``links``: the signed, expiring links of the mails (pure);
- ``records``: the subscription of each comment and the suppression list, in
  the store (``<store>/notifications/``), durable writes;
- ``mails``: the plain-text French mails (pure);
- ``sender``: the round of ``python -m comment_service notify`` that sends them;
- ``pages``: the service's pages behind the links (confirm, rights, unsubscribe).

Double opt-in: a comment posted with the box checked and an address records a
*requested* subscription; the notify process sends one confirmation mail; only
once its link is followed (a POST) does anything else go to that address.
"""
