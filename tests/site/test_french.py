"""French dates come from Babel, not from the machine's locale."""

import datetime as dt

import pytest

from french import date_fr, datetime_fr, time_fr


@pytest.mark.parametrize("value,style,expected", [
    (dt.date(2014, 6, 12), "long", "12 juin 2014"),
    (dt.date(2014, 6, 1), "long", "1er juin 2014"),
    (dt.date(2014, 2, 3), "long", "3 février 2014"),
    (dt.date(2014, 8, 15), "long", "15 août 2014"),
    (dt.date(2014, 12, 25), "long", "25 décembre 2014"),
    (dt.date(2014, 6, 12), "full", "jeudi 12 juin 2014"),
    (dt.date(2014, 6, 12), "short", "12/06/2014"),
    (dt.date(2014, 6, 12), "month", "juin 2014"),
])
def test_date_fr(value, style, expected):
    assert date_fr(value, style) == expected


def test_times_follow_french_typography():
    nbsp = "\u00a0"
    assert time_fr(dt.time(9, 0)) == f"9{nbsp}h"
    assert time_fr(dt.time(14, 30)) == f"14{nbsp}h{nbsp}30"
    assert datetime_fr(dt.datetime(2014, 6, 12, 9, 5)) == f"12 juin 2014 à 9{nbsp}h{nbsp}05"


def test_unknown_style_is_an_error():
    with pytest.raises(ValueError):
        date_fr(dt.date(2014, 6, 12), "nope")
