"""The guard: rate limits, captcha state and idempotent submissions, with a SQLite and a Redis backend."""
