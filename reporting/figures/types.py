"""The shape every report shares: sections of figures, each with its denominator stated.

One selector builds a `ReportFigures` for a `ReportScope`; the dashboard, the CSV and the PDF only
render it, so the three always agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from reporting.scope import ReportScope

# Equality figures below this are shown as "fewer than 5", and their shares are not given.
SMALL_NUMBER = 5


class Unit(StrEnum):
    PEOPLE = "people"  # distinct people
    COUNT = "count"  # things (checks, vacancies, sessions), not people
    PERCENT = "percent"  # value is a share of `denominator`
    MONEY = "money"  # pounds
    DAYS = "days"
    RATING = "rating"  # an average on a scale


@dataclass(frozen=True)
class Figure:
    key: str  # stable, e.g. "engagement.unique_learners"; CSV column and test handle
    label: str
    value: int | Decimal | float | None  # None: nothing to measure (e.g. a share of zero people)
    unit: Unit
    # For a share or a rate: the count it is taken of, and what that count is, in words.
    denominator: int | None = None
    denominator_label: str = ""
    # Equality figures under SMALL_NUMBER are suppressed: shown as "fewer than 5".
    suppressed: bool = False
    # The staff list of the people behind the figure, where there is one.
    people_url: str = ""

    @property
    def display(self) -> str:
        if self.suppressed:
            return "fewer than 5"
        if self.value is None:
            return "not applicable"
        if self.unit is Unit.PERCENT:
            return f"{self.value}%"
        if self.unit is Unit.MONEY:
            return f"£{Decimal(self.value):,.2f}"
        if self.unit is Unit.DAYS:
            return f"{self.value} days"
        if self.unit is Unit.RATING:
            return f"{Decimal(self.value):.1f}"
        return f"{self.value:,}" if isinstance(self.value, int) else str(self.value)


@dataclass(frozen=True)
class FigureSection:
    key: str  # "engagement", "learning", "dbs", "employment", "money", ...
    title: str
    figures: tuple[Figure, ...]
    note: str = ""  # e.g. "Every count of people counts distinct people."

    def get(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


@dataclass(frozen=True)
class ReportFigures:
    scope: ReportScope
    sections: tuple[FigureSection, ...] = field(default_factory=tuple)

    def section(self, key: str) -> FigureSection:
        return next(s for s in self.sections if s.key == key)

    def figure(self, key: str) -> Figure:
        return next(f for s in self.sections for f in s.figures if f.key == key)

    def flat(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]
