"""Figures over time and the conversion funnel, from the same selectors as every report.

`trends(scope, count)` builds report_figures for each of the last `count` quarters up to the one the
scope ends in (same academies and filters), so a quarter's figures on the trend chart are exactly
that quarter's report. `funnel(figures)` reads the steps from one period's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from academy.periods import Quarter, last_quarters
from reporting.figures import report_figures
from reporting.figures.types import ReportFigures
from reporting.scope import ReportScope

# The funnel's steps: distinct people at each, in the period.
FUNNEL_STEPS = [
    ("engagement.registrations", "Registered"),
    ("learning.screened", "Screened"),
    ("learning.course_starts", "Started a course"),
    ("learning.completions", "Completed a course"),
    ("employment.offers", "Offered a job"),
    ("employment.job_starts", "Started paid work"),
    ("employment.sustained", "Sustained job"),
]

# The figures the dashboard draws over time.
TREND_KEYS = [
    ("engagement.unique_learners", "Learners engaged"),
    ("learning.completions", "Completions"),
    ("employment.job_starts", "Job starts"),
    ("employment.sustained", "Sustained jobs"),
]


@dataclass(frozen=True)
class Trends:
    quarters: list[Quarter]
    figures: list[ReportFigures]

    @property
    def labels(self) -> list[str]:
        return [q.short_label for q in self.quarters]

    def series(self, keys: list[tuple[str, str]] | None = None) -> dict[str, list[int | Decimal | float | None]]:
        """label -> the figure's value in each quarter, oldest first."""
        return {label: [f.figure(key).value for f in self.figures] for key, label in keys or TREND_KEYS}


def trends(scope: ReportScope, count: int = 4) -> Trends:
    """The last `count` quarters' figures, ending with the quarter `scope.end` is in."""
    quarters = last_quarters(scope.end, count)
    return Trends(
        quarters=quarters,
        figures=[report_figures(replace(scope, start=q.start, end=q.end)) for q in quarters],
    )


def funnel(figures: ReportFigures) -> list[tuple[str, int]]:
    """(step, distinct people) from registration to sustained job, in the figures' period."""
    return [(label, int(figures.figure(key).value or 0)) for key, label in FUNNEL_STEPS]
