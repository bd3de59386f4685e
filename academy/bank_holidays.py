"""Bank holidays in England and Wales, computed (no network call), for planning sessions.

The rules since 1971: New Year's Day, Good Friday, Easter Monday, the first and last Mondays of
May, the last Monday of August, Christmas Day and Boxing Day; a holiday on a weekend moves to the
next weekday that is not already one. One-off changes by proclamation (jubilees, coronations, the
2020 VE-day move) are not included.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

SATURDAY = 5


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _mondays(year: int, month: int) -> list[dt.date]:
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    mondays = []
    while day.month == month:
        mondays.append(day)
        day += dt.timedelta(weeks=1)
    return mondays


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """The bank holidays of `year` in England and Wales, with weekend ones moved to a weekday."""
    easter = easter_sunday(year)
    fixed = [
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        _mondays(year, 5)[0],
        _mondays(year, 5)[-1],
        _mondays(year, 8)[-1],
    ]
    days = set(fixed)
    for day in (dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)):
        while day.weekday() >= SATURDAY or day in days:
            day += dt.timedelta(days=1)
        days.add(day)
    return frozenset(days)


def is_bank_holiday(day: dt.date) -> bool:
    return day in bank_holidays(day.year)
