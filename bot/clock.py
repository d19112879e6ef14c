"""Which day it is for the guide: the Welcome Center's day, in Europe/Berlin.

The Welcome Center, its editors and its counsellors work in Stuttgart, so
every day the guide stamps or compares (a vote's day, an unanswered
question's day, a review that has grown stale, a translation file's date,
how many days a record is kept) is a day in Europe/Berlin, whatever time
zone the server runs in (usually UTC, which is one or two hours behind:
without this, a vote cast at 00:30 in Stuttgart would be filed under the
day before).

Code that stamps days takes a :data:`Today` function and defaults to
:func:`today`, so that a test can pass its own; ``tests/test_clock.py``
runs every day-stamping path just before and just after midnight.
"""

from __future__ import annotations

import datetime
from typing import Callable
from zoneinfo import ZoneInfo

#: The Welcome Center's time zone.
GUIDE_TIMEZONE = ZoneInfo("Europe/Berlin")

#: A function that says which day it is (tests pass their own).
Today = Callable[[], datetime.date]


def now() -> datetime.datetime:
    """The current moment, aware, in the Welcome Center's time zone."""
    return datetime.datetime.now(GUIDE_TIMEZONE)


def today() -> datetime.date:
    """Today's date in the Welcome Center's time zone."""
    return now().date()


def utcnow() -> datetime.datetime:
    """The time now in UTC, without a zone: how the guide's database stores moments, alike everywhere."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
