"""Calendar quarters, the period funders report by: one rule for every app."""

from __future__ import annotations

from datetime import date, timedelta

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter `day` is in."""
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    next_start = date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)
    return start, next_start - timedelta(days=1)


def quarter_label(start: date) -> str:
    """"April to June 2026" for the quarter starting on `start`."""
    first, last = quarter_of(start)
    return f"{MONTHS[first.month - 1]} to {MONTHS[last.month - 1]} {first.year}"


def previous_quarter(day: date) -> tuple[date, date]:
    """The quarter before the one `day` is in."""
    start, _ = quarter_of(day)
    return quarter_of(start - timedelta(days=1))
