"""Employment and other destinations: placements, interviews, offers, job starts, other outcomes,
sustained jobs, retention and conversion from course to offer and to job start.

- Work placements started (in progress or further, starting in the period) and completed (completed
  or signed off, ending in the period).
- Interviews: people with an interview (not cancelled) in the period; offers: people offered a job.
- Job starts and other destinations: people with an outcome of that kind starting in the period
  (the outcomes area's record; job starts are its paid kinds: care, other paid work, apprenticeship).
- Still employed at N weeks: of people whose N-week follow-up fell due in the period, those
  confirmed still employed. Sustained: people confirmed sustained by their stream's own rule
  (placements.selectors.outcomes.sustained_follow_ups_q) at a follow-up due in the period.
- Retention at N weeks: of people whose paid work reached N weeks in the period, those not
  recorded as having left before then (the retention page's rule, in_work_at_q).
- Conversion: of people who completed a course in the period, those offered a job and those who
  started paid work by the period's last day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from academy.models import FundingStream
from placements.models import FollowUp, Interview, JobApplication, Outcome, WorkPlacement
from placements.selectors.outcomes import RETENTION_WEEKS, in_work_at_q, sustained_follow_ups_q
from reporting.figures.base import Measure, count_measures, in_scope, local_bounds, people_figure, share_figure
from reporting.figures.learning import COMPLETED, places_ended
from reporting.figures.types import Figure, FigureSection
from reporting.scope import ReportScope

Kind = Outcome.Kind
PLACEMENT = {"cohort": "cohort_id", "course": "cohort__course_id", "provider": "provider_id"}
STARTED = (
    WorkPlacement.Status.IN_PROGRESS,
    WorkPlacement.Status.COMPLETED,
    WorkPlacement.Status.SIGNED_OFF,
    WorkPlacement.Status.ENDED_EARLY,
)
DONE = (WorkPlacement.Status.COMPLETED, WorkPlacement.Status.SIGNED_OFF)


def placements_started(scope: ReportScope) -> QuerySet[Any]:
    rows = WorkPlacement.objects.filter(status__in=STARTED)
    return in_scope(rows, scope, person="candidate", at="start_date", is_datetime=False, direct=PLACEMENT)


def placements_completed(scope: ReportScope) -> QuerySet[Any]:
    rows = WorkPlacement.objects.filter(status__in=DONE)
    return in_scope(rows, scope, person="candidate", at="end_date", is_datetime=False, direct=PLACEMENT)


def interviews(scope: ReportScope) -> QuerySet[Any]:
    rows = Interview.objects.exclude(outcome=Interview.Outcome.CANCELLED)
    return in_scope(
        rows,
        scope,
        person="application__candidate",
        at="starts_at",
        is_datetime=True,
        direct={"provider": "application__vacancy__provider_id"},
    )


def offers(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(
        JobApplication.objects.all(),
        scope,
        person="candidate",
        at="offered_at",
        is_datetime=True,
        direct={"provider": "vacancy__provider_id"},
    )


def outcomes(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(
        Outcome.objects.all(),
        scope,
        person="candidate",
        at="start_date",
        is_datetime=False,
        direct={"provider": "provider_id"},
    )


def follow_ups_due(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(
        FollowUp.objects.all(),
        scope,
        person="outcome__candidate",
        at="due_on",
        is_datetime=False,
        direct={"stream": "stream_id", "provider": "outcome__provider_id"},
    )


@cache
def reached_weeks(weeks: int) -> Callable[[ReportScope], QuerySet[Any]]:
    """A base: paid outcomes whose `weeks` point after the start falls in the period."""

    def base(scope: ReportScope) -> QuerySet[Any]:
        rows = Outcome.objects.paid().filter(
            start_date__gte=scope.start - timedelta(weeks=weeks), start_date__lte=scope.end - timedelta(weeks=weeks)
        )
        return in_scope(
            rows,
            scope,
            person="candidate",
            at="start_date",
            is_datetime=False,
            direct={"provider": "provider_id"},
            period=False,
        )

    return base


PAID = Q(kind__in=Outcome.PAID_KINDS)
INTERVIEWED = "application__candidate"
FOLLOWED = "outcome__candidate"
STILL = FollowUp.Result.STILL_EMPLOYED


def follow_up_weeks(scope: ReportScope) -> list[int]:
    """The stream's follow-up points, or every point any stream asked about in the period (one query)."""
    if scope.stream_id is not None:
        stream = FundingStream.objects.filter(pk=scope.stream_id).first()
        return sorted({int(w) for w in (stream.follow_up_weeks if stream else [])})
    return sorted(set(follow_ups_due(scope).values_list("week", flat=True).distinct()))


def measures(scope: ReportScope, weeks: list[int]) -> list[Measure]:
    _, end = local_bounds(scope)
    offered_by_end = Exists(JobApplication.objects.filter(candidate=OuterRef("candidate"), offered_at__lt=end))
    started_by_end = Exists(Outcome.objects.paid().filter(candidate=OuterRef("candidate"), start_date__lte=scope.end))
    found = [
        Measure("employment.placements_started", "Work placements started", placements_started),
        Measure("employment.placements_completed", "Work placements completed", placements_completed),
        Measure("employment.interviews", "Job interviews", interviews, person=INTERVIEWED),
        Measure("employment.offers", "Job offers", offers, Q(offered_at__isnull=False)),
        Measure("employment.job_starts", "Job starts (paid work)", outcomes, PAID),
        Measure("employment.job_starts_care", "Job starts in care", outcomes, Q(kind=Kind.PAID_JOB_CARE)),
        Measure("employment.job_starts_other", "Job starts outside care", outcomes, Q(kind=Kind.OTHER_PAID_JOB)),
        Measure("employment.apprenticeships", "Apprenticeships", outcomes, Q(kind=Kind.APPRENTICESHIP)),
        Measure("employment.into_learning", "Into further learning or training", outcomes, Q(kind=Kind.LEARNING)),
        Measure("employment.into_volunteering", "Into volunteering", outcomes, Q(kind=Kind.VOLUNTEERING)),
        Measure("employment.work_experience", "Into work experience", outcomes, Q(kind=Kind.WORK_EXPERIENCE)),
        Measure(
            "employment.sustained",
            "Sustained jobs (by each stream's rule)",
            follow_ups_due,
            sustained_follow_ups_q(),
            FOLLOWED,
        ),
        Measure("employment.completers", "People who completed a course", places_ended, COMPLETED),
        Measure(
            "employment.completers_offered",
            "Completed a course and offered a job",
            places_ended,
            COMPLETED & Q(offered_by_end),
        ),
        Measure(
            "employment.completers_started",
            "Completed a course and started paid work",
            places_ended,
            COMPLETED & Q(started_by_end),
        ),
    ]
    for w in weeks:
        found.append(
            Measure(f"employment.follow_up_{w}w_due", f"{w}-week follow-ups due", follow_ups_due, Q(week=w), FOLLOWED)
        )
        found.append(
            Measure(
                f"employment.still_employed_{w}w",
                f"Still employed at {w} weeks",
                follow_ups_due,
                Q(week=w, result=STILL),
                FOLLOWED,
            )
        )
    for w in RETENTION_WEEKS:
        found.append(Measure(f"employment.reached_{w}w", f"In paid work {w} weeks ago", reached_weeks(w)))
        found.append(
            Measure(f"employment.in_work_{w}w", f"Still in work at {w} weeks", reached_weeks(w), in_work_at_q(w))
        )
    return found


# The first measures are shown as they are; the rest are parts of shares.
PEOPLE_FIGURES = 12


def employment_section(scope: ReportScope) -> FigureSection:
    """Employment and destination figures; a fixed number of queries (eleven)."""
    weeks = follow_up_weeks(scope)
    found = measures(scope, weeks)
    counts = count_measures(scope, found)
    by_key = {m.key: m for m in found}
    figures: list[Figure] = [people_figure(m, counts) for m in found[:PEOPLE_FIGURES]]
    completers = counts["employment.completers"]
    completers_label = "people who completed a course in the period"
    figures.append(
        share_figure(
            "employment.course_to_offer",
            "Offered employment after finishing a course (conversion from course to offer)",
            counts["employment.completers_offered"],
            completers,
            completers_label,
        )
    )
    figures.append(
        share_figure(
            "employment.course_to_start",
            "Started paid work after finishing a course (conversion from course to job start)",
            counts["employment.completers_started"],
            completers,
            completers_label,
        )
    )
    for w in weeks:
        figures.append(people_figure(by_key[f"employment.still_employed_{w}w"], counts))
        figures.append(
            share_figure(
                f"employment.still_employed_{w}w.share",
                f"Still employed at {w} weeks: share",
                counts[f"employment.still_employed_{w}w"],
                counts[f"employment.follow_up_{w}w_due"],
                f"people whose {w}-week follow-up fell due in the period",
            )
        )
    for w in RETENTION_WEEKS:
        figures.append(
            share_figure(
                f"employment.retention_{w}w",
                f"Retention at {w} weeks",
                counts[f"employment.in_work_{w}w"],
                counts[f"employment.reached_{w}w"],
                f"people whose paid work reached {w} weeks in the period",
            )
        )
    return FigureSection(
        key="employment",
        title="Employment and other destinations",
        figures=tuple(figures),
        note="Every count of people counts distinct people; a person with two jobs counts once in each kind.",
    )
