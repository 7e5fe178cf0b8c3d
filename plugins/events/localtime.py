"""Local times on the nights the clocks change (Europe/Paris and the like).

Pure functions, without Pelican. An editor writes a wall-clock time
(``Start: 2027-03-28 02:30``); on the night clocks go forward that time does
not exist (at 02:00 the clocks show 03:00), and on the night they go back it
exists twice (02:00 to 03:00 is lived once in summer time, once in winter
time). Python would silently pick one instant for either; here:

* a time that does not exist is refused;
* a time that exists twice is refused unless the editor states its offset
  from UTC after it (``2027-10-31 02:30+02:00``: the first time, summer
  time; ``+01:00``: the second, winter time);
* an offset given for an ordinary time must be the one in force then.
"""

from __future__ import annotations

import datetime as dt
import re

from editorial import FieldError
from sitekit.dates import date_fr

OFFSET_RE = re.compile(r"^(?P<rest>.*?\d)\s*(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})$")
UTC = dt.timezone.utc


def split_offset(value: str) -> tuple[str, dt.timedelta | None]:
    """'2027-10-31 02:30+01:00' -> ('2027-10-31 02:30', 1 hour); no offset: (value, None).

    Only after a time (a date alone has no offset: 2027-10-31 stays whole)."""
    value = value.strip()
    match = OFFSET_RE.match(value)
    if not match or ":" not in match["rest"]:
        return value, None
    offset = dt.timedelta(hours=int(match["h"]), minutes=int(match["m"]))
    return match["rest"], -offset if match["sign"] == "-" else offset


def _offset_text(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def candidates(naive: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """The instants a wall-clock time names in ``tz``: none, one or two."""
    found = []
    for fold in (0, 1):
        aware = naive.replace(tzinfo=tz, fold=fold)
        back = aware.astimezone(UTC).astimezone(tz)
        if back.replace(tzinfo=None) == naive and all(
                aware.utcoffset() != other.utcoffset() for other in found):
            found.append(aware)
    return found


def local_instant(naive: dt.datetime, tz: dt.tzinfo, field: str, raw: str,
                  offset: dt.timedelta | None = None) -> dt.datetime:
    """The one instant an editor's local time names, or a FieldError in French."""
    found = candidates(naive, tz)
    hhmm = naive.strftime("%H:%M")
    day = date_fr(naive.date())
    example = naive.strftime("%Y-%m-%d %H:%M")
    if not found:
        return _refuse_missing(naive, tz, field, hhmm, day)
    if offset is not None:
        for aware in found:
            if aware.utcoffset() == offset:
                return aware.astimezone(tz)
        allowed = " ou ".join(_offset_text(a.utcoffset()) for a in found)
        raise FieldError(field, f"« {raw} » : le décalage {_offset_text(offset)} ne correspond "
                         f"pas à l'heure de Paris ce jour-là ({allowed}) ; corrigez-le ou "
                         "supprimez-le")
    if len(found) == 2:
        summer, winter = (_offset_text(a.utcoffset()) for a in found)
        raise FieldError(field, f"l'heure {hhmm} du {day} existe deux fois : cette nuit-là, "
                         "les horloges reculent de 3 h à 2 h (passage à l'heure d'hiver) ; "
                         f"précisez laquelle en ajoutant le décalage : « {example}{summer} » "
                         f"(la première fois, heure d'été) ou « {example}{winter} » "
                         "(la seconde, heure d'hiver)")
    return found[0]


def _refuse_missing(naive, tz, field, hhmm, day):
    # The clocks jump over this time: name the first time that exists after it.
    later = naive
    while not candidates(later, tz):
        later += dt.timedelta(minutes=15)
    raise FieldError(field, f"l'heure {hhmm} n'existe pas le {day} : cette nuit-là, les "
                     "horloges avancent de 2 h à 3 h (passage à l'heure d'été) ; choisissez "
                     f"une heure qui existe, par exemple {later.strftime('%H:%M')}")
