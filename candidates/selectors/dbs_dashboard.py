"""The staff DBS dashboard: counts by status with RAG, the list to work through, turnaround, chases due.

RAG is the age of a check since its last dated step, against the policy's chase thresholds:
green before the first certificate chase, amber before the second, red after. It is computed in
SQL so the list can be filtered and paginated by it. A check waiting for a decision after its
certificate (information disclosed, risk assessment) ages from the certificate's issue date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django_stubs_ext import WithAnnotations

from academy.periods import previous_quarter
from candidates.models import DbsCheck, DbsPolicy, DbsReminder, current_q
from candidates.selectors.dbs import IN_PROGRESS_STATUSES, dbs_current_checks

Status = DbsCheck.Status

GREEN, AMBER, RED = "green", "amber", "red"
RAG_LABELS = {GREEN: "On track", AMBER: "Chase", RED: "Overdue"}


class RagAnnotations(TypedDict):
    last_step_on: date | None
    rag: str


LAST_STEP_ON = Case(
    When(status=Status.NOT_STARTED, then=F("started_on")),
    When(status=Status.ID_VERIFIED, then=F("id_verified_on")),
    When(status=Status.SUBMITTED, then=F("submitted_on")),
    When(
        status__in=[Status.CERTIFICATE_ISSUED, Status.DISCLOSED, Status.RISK_ASSESSMENT],
        then=F("certificate_issued_on"),
    ),
    default=None,
    output_field=DateField(),
)


def dbs_with_rag(
    checks: QuerySet[DbsCheck], *, today: date, policy: DbsPolicy
) -> QuerySet[WithAnnotations[DbsCheck, RagAnnotations]]:
    """Annotate `last_step_on` and `rag` ("" for checks no longer in progress)."""
    first = today - timedelta(days=policy.chase_certificate_first_days)
    second = today - timedelta(days=policy.chase_certificate_second_days)
    return checks.annotate(last_step_on=LAST_STEP_ON).annotate(
        rag=Case(
            When(~Q(status__in=IN_PROGRESS_STATUSES), then=Value("")),
            When(last_step_on__gt=first, then=Value(GREEN)),
            When(last_step_on__gt=second, then=Value(AMBER)),
            default=Value(RED),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    total: int
    green: int
    amber: int
    red: int
    in_progress: bool


def dbs_status_counts(*, today: date, policy: DbsPolicy, academy_id: int) -> list[StatusCount]:
    """Current checks per status, with RAG counts for those in progress, in status order; one query."""
    rows = (
        dbs_with_rag(dbs_current_checks(academy_id), today=today, policy=policy)
        .values("status", "rag")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["status"], {})[row["rag"]] = row["n"]
    return [
        StatusCount(
            status=status.value,
            label=str(status.label),
            total=sum(counts.get(status, {}).values()),
            green=counts.get(status, {}).get(GREEN, 0),
            amber=counts.get(status, {}).get(AMBER, 0),
            red=counts.get(status, {}).get(RED, 0),
            in_progress=status in IN_PROGRESS_STATUSES,
        )
        for status in Status
    ]


def dbs_dashboard_list(
    *, today: date, policy: DbsPolicy, academy_id: int, status: str = "", rag: str = ""
) -> QuerySet[WithAnnotations[DbsCheck, RagAnnotations]]:
    """Current checks to work through: in progress unless `status` says otherwise, oldest step first."""
    checks = dbs_with_rag(dbs_current_checks(academy_id), today=today, policy=policy).select_related("candidate__owner")
    checks = checks.filter(status=status) if status else checks.filter(status__in=IN_PROGRESS_STATUSES)
    if rag:
        checks = checks.filter(rag=rag)
    return checks.order_by(F("last_step_on").asc(nulls_last=True), "candidate__last_name", "pk")


def last_full_quarter(today: date) -> tuple[date, date]:
    """The first and last day of the quarter before the one `today` is in (academy.periods' rule)."""
    return previous_quarter(today)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(p) WITHIN GROUP (ORDER BY expr): a linear-interpolated percentile."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, *, percentile: float, **extra: Any) -> None:
        if not 0 <= percentile <= 1:
            raise ValueError("percentile must be between 0 and 1")
        super().__init__(expression, percentile=float(percentile), **extra)


def percentile(sorted_values: list[float], p: float) -> float:
    """The same linear interpolation as percentile_cont, over values already sorted."""
    position = p * (len(sorted_values) - 1)
    low, high = math.floor(position), math.ceil(position)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


@dataclass(frozen=True)
class Turnaround:
    start: date
    end: date
    count: int
    median_days: float | None
    p90_days: float | None


TURNAROUND = ExpressionWrapper(F("certificate_issued_on") - F("submitted_on"), output_field=DurationField())


def dbs_turnaround(*, today: date, academy_id: int | None = None) -> Turnaround:
    """Median and 90th percentile days from application submitted to certificate issued, for the
    checks whose certificate was issued in the last full quarter; one query (see turnaround_of).

    Every check counts, including those of anonymised records (the dates stay for these figures).
    """
    start, end = last_full_quarter(today)
    checks = DbsCheck.objects.filter(certificate_issued_on__range=(start, end))
    if academy_id is not None:
        checks = checks.filter(candidate__academy_id=academy_id)
    count, median, p90 = turnaround_of(checks)
    return Turnaround(start=start, end=end, count=count, median_days=median, p90_days=p90)


def turnaround_of(checks: QuerySet[DbsCheck]) -> tuple[int, float | None, float | None]:
    """How many of `checks` were submitted and have a certificate, and the median and 90th percentile
    days between the two; one query.

    PostgreSQL computes the percentiles itself (percentile_cont). SQLite has no percentile
    function, so there it fetches only the durations, already sorted by the database (a period's
    certificates, a few hundred numbers), and interpolates the same way.
    """
    checks = checks.filter(submitted_on__isnull=False, certificate_issued_on__isnull=False)
    if connection.vendor == "postgresql":
        row = checks.aggregate(
            n=Count("pk"),
            median=PercentileCont(TURNAROUND, percentile=0.5, output_field=DurationField()),
            p90=PercentileCont(TURNAROUND, percentile=0.9, output_field=DurationField()),
        )
        return row["n"], _days(row["median"]), _days(row["p90"])
    durations = [_days(d) or 0.0 for d in checks.annotate(d=TURNAROUND).order_by("d").values_list("d", flat=True)]
    if not durations:
        return 0, None, None
    return len(durations), percentile(durations, 0.5), percentile(durations, 0.9)


def _days(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


@dataclass(frozen=True)
class ShortList:
    """The first rows of a list and how many there are in all."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        """How many are not in `rows`."""
        return self.total - len(self.rows)


def _short(queryset: QuerySet[Any], limit: int) -> ShortList:
    return ShortList(rows=list(queryset[:limit]), total=queryset.count())


def dbs_overdue_chases(*, today: date, academy_id: int, limit: int = 10) -> ShortList:
    """Reminders due before today that have not gone out (stuck or failing), and any the mail server
    rejected for good: oldest first."""
    Status = DbsReminder.Status
    not_sent = Q(status__in=[Status.PENDING, Status.SENDING], due_on__lt=today) | Q(status=Status.FAILED)
    reminders = DbsReminder.objects.filter(
        not_sent,
        current_q("dbs_check__candidate"),
        dbs_check__candidate__academy_id=academy_id,
    )
    return _short(reminders.select_related("dbs_check__candidate").order_by("due_on", "pk"), limit)


def dbs_renewals_due(*, today: date, policy: DbsPolicy, academy_id: int, limit: int = 10) -> ShortList:
    """Current checks whose Update Service subscription renews within the notice period (or has lapsed)."""
    horizon = today + timedelta(days=policy.update_service_renewal_notice_days)
    checks = (
        dbs_current_checks(academy_id).filter(update_service_renewal_due_on__lte=horizon).exclude(update_service_id="")
    )
    return _short(checks.select_related("candidate").order_by("update_service_renewal_due_on", "pk"), limit)


def dbs_rechecks_due(*, today: date, policy: DbsPolicy, academy_id: int, limit: int = 10) -> ShortList:
    """Current checks whose recheck falls due within the notice period (or is overdue)."""
    horizon = today + timedelta(days=policy.recheck_notice_days)
    checks = dbs_current_checks(academy_id).filter(recheck_due_on__lte=horizon)
    return _short(checks.select_related("candidate").order_by("recheck_due_on", "pk"), limit)
