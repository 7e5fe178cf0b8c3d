"""What to do with a posted comment: the decision between parsing and presenting.

No WSGI here. ``decide(deps, post)`` takes the dependencies (configuration,
guard, store, threads manifest, clock) and what the request said, and returns
one outcome; the shell (app.py) presents it once, as JSON or as the HTML form
(present.py). The steps, in order:

1. thread: unknown or closed -> ``Rejected(404)``; origin: foreign -> ``Rejected(403)``;
2. the body is read (``post.read()``; an unreadable body raises httpio.HTTPError);
3. the fields are validated (pure, never raises);
4. the regenerate button of the form -> ``Regenerate`` (the captcha is not checked);
5. a ``submission_id`` already answered on this thread -> that first ``Accepted``
   again (``replayed``), nothing stored, the captcha not spent;
6. the captcha is checked and, if it is genuine and live, spent at once, before
   anything else can fail: a token's answer is never judged without spending it;
7. any field or captcha error -> ``Refused``;
8. a rate-limit reservation -> ``RateLimited`` when the window is full;
9. the store -> ``StoreFailed`` (reservation released) or ``Accepted``; the
   reservation is confirmed and the submission id remembered only then.

Steps 5, 6 and 8 are one guard transaction (``guard.admit``), the confirmation
and the memory of step 9 another (``guard.settle``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Union

from ..captcha import challenge as captcha
from ..rules import messages as msg
from ..config import Config
from ..guard.sqlite import Admission, Answered, Decision, Entry, GuardBackend, GuardError
from .httpio import Body
from ..store import CommentStore, StoreError
from .threads import Thread, ThreadIndex
from ..rules.validation import ACTION_REGENERATE, FIELDS, Submission, is_submission_id, validate
from ..rules import signals as spam_signals
from ..commenters import optin

log = logging.getLogger("comment_service")

CAPTCHA_MESSAGES = {
    captcha.MISSING: msg.CAPTCHA_MISSING,
    captcha.INVALID: msg.CAPTCHA_EXPIRED,
    captcha.EXPIRED: msg.CAPTCHA_EXPIRED,
    captcha.TOO_FAST: msg.CAPTCHA_TOO_FAST,
    captcha.WRONG: msg.CAPTCHA_WRONG,
    captcha.USED: msg.CAPTCHA_USED,
}


@dataclass(frozen=True)
class Deps:
    """What the decision may use; tests pass their own clock."""

    config: Config
    guard: GuardBackend
    store: CommentStore
    threads: ThreadIndex
    clock: Callable[[], float]


@dataclass(frozen=True)
class Post:
    """What the request said, as far as the decision cares."""

    thread_id: str
    client: str  # rate-limit key
    origin_allowed: bool
    form: bool  # an HTML form post (it has a regenerate button), not a JSON fetch
    read: Callable[[], Body]


# --- outcomes -------------------------------------------------------------------

@dataclass(frozen=True)
class Rejected:
    """Refused before the fields were looked at (unknown thread, foreign origin)."""

    status: int
    message: str


@dataclass(frozen=True)
class Accepted:
    thread: Thread
    submission: Submission
    comment_id: str
    status: str  # "pending" or "approved"
    replayed: bool = False  # the answer to an earlier post of the same submission id


@dataclass(frozen=True)
class Refused:
    thread: Thread
    submission: Submission
    errors: dict[str, str] = field(default_factory=dict)
    summary: str = msg.SUMMARY


@dataclass(frozen=True)
class RateLimited:
    thread: Thread
    submission: Submission
    retry_after: int


@dataclass(frozen=True)
class StoreFailed:
    thread: Thread
    submission: Submission


@dataclass(frozen=True)
class Regenerate:
    thread: Thread
    submission: Submission


Outcome = Union[Rejected, Accepted, Refused, RateLimited, StoreFailed, Regenerate]


# --- the decision ------------------------------------------------------------------

def decide(deps: Deps, post: Post) -> Outcome:
    """The outcome of one posted comment (see the module docstring for the steps)."""
    thread = open_thread(deps, post.thread_id)
    if thread is None:
        return Rejected(404, msg.THREAD_NOT_FOUND)
    if not post.origin_allowed:
        return Rejected(403, msg.FORBIDDEN_ORIGIN)
    body = post.read()
    cfg = deps.config
    submission, errors = validate(body.fields, max_length=cfg.max_length, name_max=cfg.name_max,
                                  invalid=body.invalid)
    unknown = sorted(k for k in body.fields if k not in FIELDS)
    if unknown:
        log.info("ignoring unknown fields %r", [u[:40] for u in unknown[:5]])
    if post.form and submission.action == ACTION_REGENERATE:
        log.info("new captcha drawn on request for thread %s from %s", thread.id, deps.guard.label(post.client))
        return Regenerate(thread, submission)
    now = deps.clock()
    checked = check_captcha(deps, submission, now)
    verdict = checked.outcome
    admission = admit(deps, post, thread, submission, checked, not errors and checked.ok, now)
    if admission.answered is not None:
        answered = admission.answered
        log.info("submission %s on %s answered again with comment %s", submission.submission_id,
                 thread.id, answered.comment_id)
        return Accepted(thread, submission, answered.comment_id, answered.status, replayed=True)
    if admission.spent is False:
        verdict = captcha.USED
    if verdict != captcha.OK:
        errors["captcha_answer"] = captcha_message(verdict, submission)
    if errors:
        log.info("refused comment on %s from %s: %s (captcha: %s)", thread.id, deps.guard.label(post.client),
                 ", ".join(errors), verdict)
        only_captcha = set(errors) == {"captcha_answer"} and verdict == captcha.MISSING
        return Refused(thread, submission, errors, msg.SUMMARY_CAPTCHA_ONLY if only_captcha else msg.SUMMARY)
    return store_comment(deps, post, thread, submission, admission.reservation, now)


def open_thread(deps: Deps, thread_id: str) -> Thread | None:
    """The thread if the manifest lists it open for comments, else None."""
    thread = deps.threads.get(thread_id)
    return thread if thread is not None and thread.open else None


def check_captcha(deps: Deps, submission: Submission, now: float) -> captcha.CheckResult:
    """The captcha's verdict before spending (pure: no guard)."""
    return _checked(deps.config, submission.captcha_token, submission.captcha_answer, now)


def _checked(cfg: Config, token: str, answer: str, now: float) -> captcha.CheckResult:
    return captcha.check(token, answer, cfg.secret, now=now, ttl=cfg.captcha_ttl,
                         min_fill_seconds=cfg.min_fill_seconds)


def spend_captcha(deps: Deps, token: str, answer: str, now: float) -> str:
    """The verdict for a form that is not a comment (a reader's report, an
    accessibility request): a genuine live token is spent whatever its answer."""
    cfg = deps.config
    checked = _checked(cfg, token, answer, now)
    if checked.burnable:
        challenge = checked.challenge
        if not deps.guard.spend(challenge.nonce_hex, challenge.expires_at(cfg.captcha_ttl), now,
                                challenge.issued_at_ms / 1000):
            return captcha.USED
    return checked.outcome


def admit(deps: Deps, post: Post, thread: Thread, submission: Submission, checked: captcha.CheckResult,
          reserve: bool, now: float) -> Admission:
    """One guard transaction: recall a valid submission id, spend a genuine live
    token whatever its answer, and reserve a rate-limit hit when ``reserve``
    (no field error, the right answer)."""
    cfg = deps.config
    challenge = checked.challenge if checked.burnable else None
    entry = Entry(now, thread.id, client=post.client,
                  submission=submission.submission_id if is_submission_id(submission.submission_id) else "",
                  nonce=challenge.nonce_hex if challenge else "",
                  nonce_expires=challenge.expires_at(cfg.captcha_ttl) if challenge else 0.0,
                  issued=challenge.issued_at_ms / 1000 if challenge else None,
                  limit=cfg.rate_limit if reserve else None)
    if not (entry.submission or entry.nonce or entry.limit):
        return Admission()
    return deps.guard.admit(entry)


def captcha_message(verdict: str, submission: Submission) -> str:
    if verdict == captcha.WRONG and not submission.captcha_answer.strip():
        return msg.CAPTCHA_EMPTY
    return CAPTCHA_MESSAGES[verdict]


def store_comment(deps: Deps, post: Post, thread: Thread, submission: Submission, reservation: Decision,
                  now: float) -> Outcome:
    """Given the rate-limit reservation: store, then confirm the hit and remember the submission id."""
    cfg = deps.config
    if not reservation.allowed:
        log.info("rate limit comment reached for %s (retry after %ds)", deps.guard.label(post.client),
                 reservation.retry_after)
        return RateLimited(thread, submission, reservation.retry_after)
    status = "approved" if cfg.moderation == "auto" else "pending"
    try:
        comment = deps.store.add(thread.id, submission.name, submission.email, submission.text, status,
                                 signals=spam_signals.detect(submission.name, submission.text))
    except StoreError as exc:
        deps.guard.release(reservation.rowid)
        log.error("cannot store comment on %s: %s", thread.id, exc)
        return StoreFailed(thread, submission)
    log.info("stored comment %s on %s as %s from %s", comment.id, thread.id, status, deps.guard.label(post.client))
    # The comment is stored and will be acknowledged: a guard failure from here
    # on is logged, never turned into an error (the reservation then lapses).
    try:
        deps.guard.settle(reservation.rowid, thread.id, submission.submission_id or "",
                          Answered(comment.id, status), now)
    except GuardError as exc:
        log.error("comment %s stored, but the guard could not record it: %s", comment.id, exc)
    if submission.notify and submission.email:  # « Me prévenir par courriel » (commenters/optin.py)
        optin.request(deps, post.client, comment, now)
    return Accepted(thread, submission, comment.id, status)


def new_challenge(deps: Deps, client: str) -> tuple[captcha.Challenge | None, int]:
    """A new captcha, or (None, retry_after) when this client asked for too many."""
    now = deps.clock()
    decision = deps.guard.hit("captcha", client, deps.config.captcha_rate_limit, now)
    if not decision.allowed:
        log.info("rate limit captcha reached for %s (retry after %ds)", deps.guard.label(client), decision.retry_after)
        return None, decision.retry_after
    challenge = captcha.issue(deps.config.secret, now)
    if deps.config.env == "development":
        log.warning(msg.DEV_CAPTCHA_ANSWER.format(answer=captcha.answer_for(challenge.token, deps.config.secret)))
    return challenge, 0
