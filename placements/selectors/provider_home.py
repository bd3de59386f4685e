"""What a provider user's home page shows: their provider's vacancies, applicants, interviews, placements,
starters and feedback due, as counts (each scoped by placements.permissions).

A fixed number of queries, whatever the number of rows: one per figure group (vacancies by status,
applicants by status, then one aggregate each for interviews, placements, starts and feedback).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from academy.models import User
from academy.periods import quarter_of
from placements.models import Interview, JobApplication, Vacancy, WorkPlacement
from placements.permissions import (
    interviews_visible_to,
    job_applications_visible_to,
    job_starts_visible_to,
    readiness_feedback_visible_to,
    vacancies_visible_to,
    work_placements_visible_to,
)
from placements.selectors.starts import week_bounds


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class ProviderHome:
    """The figures on a provider user's home page. Counts of people are distinct people."""

    vacancies: list[StatusCount] = field(default_factory=list)
    vacancy_total: int = 0
    applicants: list[StatusCount] = field(default_factory=list)
    # Distinct people with at least one application the provider can see (the denominator of `applicants`).
    applicant_total: int = 0
    week_start: date | None = None
    week_end: date | None = None
    interviews_this_week: int = 0
    placements_in_progress: int = 0
    quarter_start: date | None = None
    quarter_end: date | None = None
    starters_this_quarter: int = 0
    feedback_due: int = 0


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week `today` is in."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def provider_home(user: User, *, today: date | None = None) -> ProviderHome:
    """The provider user's home figures, from what they may see (other providers' rows never count)."""
    today = today or timezone.localdate()
    home = ProviderHome()

    vacancy_counts = dict(
        vacancies_visible_to(user).order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    home.vacancies = [
        StatusCount(status, label, vacancy_counts[status])
        for status, label in Vacancy.Status.choices
        if vacancy_counts.get(status)
    ]
    home.vacancy_total = sum(vacancy_counts.values())

    applications = job_applications_visible_to(user)
    by_status = dict(
        applications.order_by()
        .values_list("status")
        .annotate(n=Count("candidate", distinct=True))
        .values_list("status", "n")
    )
    home.applicants = [
        StatusCount(status, label, by_status[status])
        for status, label in JobApplication.Status.choices
        if by_status.get(status)
    ]
    home.applicant_total = applications.aggregate(n=Count("candidate", distinct=True))["n"]

    home.week_start, home.week_end = week_of(today)
    week_starts, next_week_starts = week_bounds(today)
    home.interviews_this_week = (
        interviews_visible_to(user)
        .filter(starts_at__gte=week_starts, starts_at__lt=next_week_starts)
        .exclude(outcome=Interview.Outcome.CANCELLED)
        .count()
    )
    home.placements_in_progress = (
        work_placements_visible_to(user)
        .filter(status=WorkPlacement.Status.IN_PROGRESS)
        .aggregate(n=Count("candidate", distinct=True))["n"]
    )
    home.quarter_start, home.quarter_end = quarter_of(today)
    home.starters_this_quarter = (
        job_starts_visible_to(user)
        .filter(start_date__range=(home.quarter_start, home.quarter_end))
        .aggregate(n=Count("candidate", distinct=True))["n"]
    )
    home.feedback_due = readiness_feedback_visible_to(user).filter(answered_at__isnull=True, due_on__lte=today).count()
    return home
