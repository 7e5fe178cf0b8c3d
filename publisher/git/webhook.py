"""A forge's push webhook: verified, rate-limited, then fetch, check, publish.

For a site whose repository lives on a forge (GitLab, Forgejo/Gitea,
GitHub): the publisher's checkout is a clone of the forge's repository
(``origin``), its hooks' settings in its git config (``site.*``, as
``python -m publisher.git install`` writes them; ``site.checkout`` is the
checkout itself). The forge POSTs each push here; a request is accepted when
it is signed as its forge signs it, with the shared secret
(``WEBHOOK_SECRET``):

* GitHub: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>``;
* Forgejo / Gitea (and Gogs): ``X-Forgejo-Signature`` / ``X-Gitea-Signature``
  / ``X-Gogs-Signature``: the hex HMAC-SHA256 of the body;
* GitLab: ``X-Gitlab-Token``: the secret itself (GitLab's classic webhooks
  do not sign the body; compared in constant time);
* GitLab with a signing token (``WEBHOOK_SIGNING_TOKEN``, ``whsec_…``): the
  Standard Webhooks headers ``webhook-id``, ``webhook-timestamp``,
  ``webhook-signature`` (``standard.py``: timestamp within 5 minutes, a
  ``webhook-id`` accepted once). A request carrying ``webhook-signature`` is
  judged by it alone.

A push to the publication branch (the payload's ``ref``) then starts, in
the background, one synchronisation at a time (``sync``, in a child
process: ``python -m publisher.git sync CHECKOUT``): ``git fetch``,
the same checks as the ``pre-receive`` hook on the fetched commit (a refusal
is journaled with its French report, the checkout stays where it was), then
the checkout moves to it and the publisher publishes it (or, in mode
``release``, a full release here). Answers: 202 (accepted), 204 (another
branch, or a ping), 401 (bad or missing signature, or a timestamp out of the
window), 409 (a replayed ``webhook-id``), 413 (body over 1 MB), 429 (more
than ``RATE`` requests a minute), 405.

Run: ``WEBHOOK_SECRET=… WEBHOOK_CHECKOUT=/srv/site-content gunicorn -w 1
-b 127.0.0.1:8090 publisher.git.webhook:application`` (one worker: the
queue of synchronisations is in the process), behind nginx
(docs/publishing.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from .standard import BAD, OK, REPLAY, STALE, Signed, is_signed, schedule_now

ROOT = Path(__file__).resolve().parents[2]
MAX_BODY = 1024 * 1024
RATE = (30, 60.0)  # requests, seconds
SIGNED = {"HTTP_X_HUB_SIGNATURE_256": "github", "HTTP_X_FORGEJO_SIGNATURE": "forgejo",
          "HTTP_X_GITEA_SIGNATURE": "gitea", "HTTP_X_GOGS_SIGNATURE": "gogs"}


def verify(environ: dict, body: bytes, secret: str) -> str | None:
    """The forge whose signature is valid for ``body``, or None."""
    if not secret:
        return None
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    for header, forge in SIGNED.items():
        given = environ.get(header)
        if given is None:
            continue
        expected = "sha256=" + digest if header == "HTTP_X_HUB_SIGNATURE_256" else digest
        if hmac.compare_digest(given.strip().lower().encode(), expected.encode()):
            return forge
        return None  # a signature header that does not match: refused
    token = environ.get("HTTP_X_GITLAB_TOKEN")
    if token is not None and hmac.compare_digest(token.encode("utf-8"), secret.encode("utf-8")):
        return "gitlab"
    return None


class Limiter:
    """At most ``count`` requests per ``seconds`` (a sliding window), per process."""

    def __init__(self, count: int, seconds: float, clock=time.monotonic):
        self.count, self.seconds, self.clock = count, seconds, clock
        self.times: list[float] = []
        self.lock = threading.Lock()

    def allow(self) -> bool:
        with self.lock:
            now = self.clock()
            self.times = [t for t in self.times if now - t < self.seconds]
            if len(self.times) >= self.count:
                return False
            self.times.append(now)
            return True


def sync(site, err=sys.stderr) -> str:
    """Fetch the branch, check it, move the checkout (the publisher follows)."""
    from release import BuildFailed

    from .. import journal
    from .hooks import check_commit, publish_now
    from .repo import changed_files, commit_info, git

    git(site.checkout, "fetch", "--quiet", "origin", site.branch)
    new = git(site.checkout, "rev-parse", "FETCH_HEAD").strip()
    old = git(site.checkout, "rev-parse", "HEAD", check=False).strip()
    if new == old:
        return "à jour"
    try:
        check_commit(site, new)
    except BuildFailed as exc:
        info = commit_info(site.checkout, new)
        journal.record(site.options().root, "refused", "push", commit=info.sha,
                       author=info.author, subject=info.subject,
                       files=changed_files(site.checkout, old or None, new), report=str(exc))
        print(f"webhook : commit {new[:10]} refusé :\n{exc}", file=err)
        return "refusé"
    git(site.checkout, "reset", "--hard", "--quiet", new)
    if site.mode == "release":
        publish_now(site, old, new, err)
    return "publié"


class Webhook:
    def __init__(self, checkout: Path, secret: str, rate=RATE, signing_token: str = "",
                 clock=schedule_now):
        from .hooks import Site

        self.site = Site.of(Path(checkout))
        self.secret = secret
        self.signed = Signed(signing_token, clock) if signing_token else None
        self.limiter = Limiter(*rate)
        self.wanted = threading.Event()
        threading.Thread(target=self._worker, daemon=True).start()

    def _worker(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()  # pushes during a sync: one more sync after it
            # A child process: the build's signal handling needs a main thread,
            # and the webhook's process stays small.
            done = subprocess.run([sys.executable, "-m", "publisher.git", "sync",
                                   str(self.site.checkout)], cwd=ROOT, check=False)
            if done.returncode != 0:
                print(f"webhook : synchronisation en échec (code {done.returncode})",
                      file=sys.stderr)

    def __call__(self, environ, start_response):
        status, text = self.answer(environ)
        if status.startswith("204"):
            start_response(status, [("Cache-Control", "no-store")])
            return []
        body = (text + "\n").encode("utf-8")
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]

    def answer(self, environ) -> tuple[str, str]:
        if not self.limiter.allow():
            return "429 Too Many Requests", "trop de requêtes ; réessayez dans une minute"
        if environ.get("REQUEST_METHOD") != "POST":
            return "405 Method Not Allowed", "POST seulement"
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            return "413 Content Too Large", "corps de requête trop grand"
        body = environ["wsgi.input"].read(length)
        refused = self.refusal(environ, body)
        if refused is not None:
            return refused
        try:
            ref = json.loads(body.decode("utf-8")).get("ref")
        except (ValueError, AttributeError, UnicodeDecodeError):
            ref = None
        if ref != self.site.ref:
            return "204 No Content", ""
        self.wanted.set()
        return "202 Accepted", "publication demandée"


    def refusal(self, environ, body: bytes) -> tuple[str, str] | None:
        """None when the request is signed as its forge signs it."""
        unsigned = ("401 Unauthorized", "signature absente ou invalide")
        if not is_signed(environ):
            return None if verify(environ, body, self.secret) is not None else unsigned
        outcome = self.signed.check(environ, body) if self.signed is not None else BAD
        if outcome != OK:
            print(f"webhook : requête signée refusée ({outcome})", file=sys.stderr)
        return {OK: None, STALE: ("401 Unauthorized", "horodatage du webhook hors de la "
                                  "fenêtre de 5 minutes ; vérifiez l'horloge du serveur"),
                REPLAY: ("409 Conflict", "webhook déjà reçu (même webhook-id)")
                }.get(outcome, unsigned)


def create_app(env=None) -> Webhook:
    env = os.environ if env is None else env
    secret, token = env.get("WEBHOOK_SECRET", ""), env.get("WEBHOOK_SIGNING_TOKEN", "")
    if secret and len(secret) < 16 or not (secret or token):
        raise SystemExit("WEBHOOK_SECRET manque ou est trop court (16 caractères au moins) ; "
                         "ou donnez WEBHOOK_SIGNING_TOKEN (jeton de signature GitLab, whsec_…)")
    try:
        return Webhook(Path(env["WEBHOOK_CHECKOUT"]), secret, signing_token=token)
    except ValueError as exc:
        raise SystemExit(f"WEBHOOK_SIGNING_TOKEN : {exc}") from None


def __getattr__(name):  # ``publisher.git.webhook:application`` for gunicorn, built on first use
    if name == "application":
        globals()["application"] = app = create_app()
        return app
    raise AttributeError(name)
