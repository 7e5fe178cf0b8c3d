"""Readers' reports: « Signaler ce commentaire » under each published comment
(issue 23; docs/moderation.md, « Signalements »).

- ``records``: the report files in the store (``reports/<thread>/<comment>/<id>.json``,
  written the store's way: tmp/, fsync, rename), read and closed;
- ``form``: the report form's fields, checked (reasons from ``rules/reasons.py``);
- ``decision``: published? fields, captcha (from a client's second report in
  the guard's window), rate limit, store; no WSGI;
- ``pages``: the reader's page and its acknowledgement (``<prefix>/signaler/<id>``);
- ``hide``: ``COMMENTS_REPORTS_HIDE_AFTER``, a comment off its page pending review;
- ``console``: the « Signalements » view and its actions (maintain, unpublish);
- ``stats``: the monthly counts of the open moderation table;
- ``retention``: the reports' messages under the personal-data rules;
- ``texts``: every French sentence of the above.
"""
