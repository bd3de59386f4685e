"""Calendar quarters, the period funders report by: one rule for every app."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MONTHS = list(calendar.month_name)[1:]


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter `day` is in."""
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    next_start = date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)
    return start, next_start - timedelta(days=1)


def quarter_label(start: date) -> str:
    """ "April to June 2026" for the quarter starting on `start`."""
    first, last = quarter_of(start)
    return f"{MONTHS[first.month - 1]} to {MONTHS[last.month - 1]} {first.year}"


def previous_quarter(day: date) -> tuple[date, date]:
    """The quarter before the one `day` is in."""
    start, _ = quarter_of(day)
    return quarter_of(start - timedelta(days=1))


def add_months(day: date, months: int) -> date:
    """`day` plus (or, negative, minus) whole months; a day past the end of a shorter month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
