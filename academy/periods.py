"""Reporting periods: quarters of the funders' year, named the same way on every page and report.

Quarters start in January, April, July and October. Funders number them from the start of their
financial year (`FINANCIAL_YEAR_START_MONTH`, April by default: Q1 is April to June), so a
quarter is labelled with both its number and its months, which leaves no doubt.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings


def _year_start_month() -> int:
    return int(getattr(settings, "FINANCIAL_YEAR_START_MONTH", 4))


@dataclass(frozen=True, order=True)
class Quarter:
    start: date

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(date(day.year, 3 * ((day.month - 1) // 3) + 1, 1))

    @classmethod
    def numbered(cls, year: int, number: int) -> Quarter:
        """Quarter `number` (1-4) of the financial year that starts in `year`."""
        if number not in (1, 2, 3, 4):
            raise ValueError("A quarter is numbered 1 to 4.")
        month = _year_start_month() + 3 * (number - 1)
        return cls(date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1))

    @property
    def end(self) -> date:
        """The quarter's last day (inclusive)."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        month = self.start.month + 3
        return Quarter(date(self.start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1))

    def previous(self) -> Quarter:
        return Quarter.containing(self.start - timedelta(days=1))

    def year_before(self) -> Quarter:
        return Quarter(date(self.start.year - 1, self.start.month, 1))

    @property
    def financial_year(self) -> int:
        """The year the financial year containing this quarter starts in."""
        return self.start.year if self.start.month >= _year_start_month() else self.start.year - 1

    @property
    def number(self) -> int:
        return (self.start.month - _year_start_month()) % 12 // 3 + 1

    @property
    def label(self) -> str:
        """For example "Q2 2026-27 (July to September 2026)"."""
        year = self.financial_year
        year_name = f"{year}-{(year + 1) % 100:02d}" if _year_start_month() != 1 else str(year)
        return f"Q{self.number} {year_name} ({self.start:%B} to {self.end:%B %Y})"

    @property
    def short_label(self) -> str:
        return f"{self.start:%b}-{self.end:%b %Y}"

    def year_to_date_start(self) -> date:
        """The first day of the financial year this quarter is in."""
        return date(self.financial_year, _year_start_month(), 1)


def last_quarters(today: date, count: int) -> list[Quarter]:
    """The last `count` quarters, the one containing `today` last."""
    quarters = [Quarter.containing(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return list(reversed(quarters))


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the quarter `day` is in."""
    quarter = Quarter.containing(day)
    return quarter.start, quarter.end


def previous_quarter(day: date) -> tuple[date, date]:
    """The first and last day of the quarter before the one `day` is in."""
    quarter = Quarter.containing(day).previous()
    return quarter.start, quarter.end


def quarter_label(start: date) -> str:
    """ "April to June 2026" for the quarter starting on (or containing) `start`."""
    quarter = Quarter.containing(start)
    return f"{quarter.start:%B} to {quarter.end:%B %Y}"


def add_months(day: date, months: int) -> date:
    """`day` plus (or, negative, minus) whole months; a day past the end of a shorter month becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
