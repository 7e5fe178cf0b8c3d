"""The public WSGI path: request parsing, the submission decision, pages and JSON answers."""
