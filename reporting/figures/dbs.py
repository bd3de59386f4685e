"""DBS: checks started and cleared, and turnaround from application to certificate.

- Started: people with a check started in the period.
- Cleared: people with a check decided "suitable to work" in the period.
- Turnaround: days from application submitted to certificate issued, of the checks whose certificate
  was issued in the period: median and 90th percentile (the DBS dashboard's rule, turnaround_of).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from candidates.models import DbsCheck
from candidates.selectors.dbs_dashboard import turnaround_of
from reporting.figures.base import Measure, count_measures, in_scope, one_place, people_figure
from reporting.figures.types import Figure, FigureSection, Unit
from reporting.scope import ReportScope


def checks_started(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(DbsCheck.objects.all(), scope, person="candidate", at="started_on", is_datetime=False)


def checks_decided(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(DbsCheck.objects.all(), scope, person="candidate", at="decision_on", is_datetime=False)


MEASURES = [
    Measure("dbs.started", "DBS checks started", checks_started),
    Measure(
        "dbs.cleared", "DBS checks cleared (suitable to work)", checks_decided, Q(decision=DbsCheck.Decision.SUITABLE)
    ),
]


def dbs_section(scope: ReportScope) -> FigureSection:
    """DBS figures; three queries."""
    counts = count_measures(scope, MEASURES)
    issued = in_scope(DbsCheck.objects.all(), scope, person="candidate", at="certificate_issued_on", is_datetime=False)
    count, median, p90 = turnaround_of(issued)
    label = "checks with a certificate issued in the period"
    return FigureSection(
        key="dbs",
        title="DBS checks",
        figures=(
            *(people_figure(m, counts) for m in MEASURES),
            Figure("dbs.turnaround_median", "Median turnaround", _days(median), Unit.DAYS, count, label),
            Figure("dbs.turnaround_p90", "90th percentile turnaround", _days(p90), Unit.DAYS, count, label),
        ),
        note="Turnaround is the days from the application being submitted to the certificate being issued.",
    )


def _days(value: float | None) -> Decimal | None:
    return one_place(value)
