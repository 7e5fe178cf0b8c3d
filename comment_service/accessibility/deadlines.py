"""The one-week answer deadline (pure: times in, numbers out).

A request received at ``t`` is due at ``t + 7 days``. ``days_left`` counts
whole days: 7 at receipt, 0 on the last day, negative once overdue (-1 from
the moment the deadline has passed until a day later, then -2...). A request is *urgent* when it is open and
due within 2 days, or overdue.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

DEADLINE = timedelta(days=7)
URGENT_WITHIN = timedelta(days=2)
DAY = 86400.0


def due(received: datetime) -> datetime:
    return received + DEADLINE


def days_left(received: datetime, now: datetime) -> int:
    remaining = (due(received) - now).total_seconds()
    if remaining >= 0:
        return math.floor(remaining / DAY)
    return -max(1, math.floor(-remaining / DAY))


def urgent(received: datetime, now: datetime) -> bool:
    return due(received) - now <= URGENT_WITHIN


def answered_in_time(received: datetime, answered: datetime | None) -> bool:
    return answered is not None and answered <= due(received)
