"""Selection and learning: screening and its outcome, action plans, course starts and completions,
withdrawals and their reasons, attendance, ratings, Care Certificates, referrals to college.

- Screened: people with a result at a selection event held in the period; accepted, referred and
  not accepted by that result (a person screened twice counts once in each outcome they had).
- Skills action plans started: people whose first action plan item was written in the period.
- Course starts: people on a cohort that started in the period (cancelled cohorts left out).
- Completions, withdrawals, did not complete: people whose place ended that way in the period.
  The completion rate is completions of people whose place ended in the period; a person who
  withdrew and completed a later cohort in the period counts once, as completed.
- Attendance rate: marks of present or late, of all marks, at sessions in the period.
- Referrals to college: people referred to the college partner at an event in the period, and of
  them, those re-screened at a later event (the selection area's follows_referral link).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Trim

from candidates.models import ActionPlanItem, SelectionResult
from courses.models import Attendance, Cohort, Course, Enrolment, Feedback
from reporting.figures.base import (
    Measure,
    count_measures,
    in_scope,
    one_place,
    people_figure,
    share_figure,
)
from reporting.figures.types import Figure, FigureSection, Unit
from reporting.scope import ReportScope

Outcome = SelectionResult.Outcome
Status = Enrolment.Status
COHORT = {"cohort": "cohort_id", "course": "cohort__course_id", "stream_cohort": "cohort"}
TOP_REASONS = 5


def selection_results(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(SelectionResult.objects.all(), scope, person="candidate", at="event__held_on", is_datetime=False)


def action_plans_started(scope: ReportScope) -> QuerySet[Any]:
    earlier = ActionPlanItem.objects.filter(candidate=OuterRef("candidate"), created_at__lt=OuterRef("created_at"))
    items = ActionPlanItem.objects.exclude(Exists(earlier))
    return in_scope(items, scope, person="candidate", at="created_at", is_datetime=True)


def course_starts(scope: ReportScope) -> QuerySet[Any]:
    enrolments = Enrolment.objects.exclude(cohort__status=Cohort.Status.CANCELLED)
    return in_scope(enrolments, scope, person="candidate", at="cohort__start_date", is_datetime=False, direct=COHORT)


def places_ended(scope: ReportScope) -> QuerySet[Any]:
    return in_scope(
        Enrolment.objects.filter(status__in=[Status.COMPLETED, Status.WITHDRAWN, Status.DID_NOT_COMPLETE]),
        scope,
        person="candidate",
        at="ended_at",
        is_datetime=True,
        direct=COHORT,
    )


COMPLETED = Q(status=Status.COMPLETED)
CARE_CERTIFICATE = COMPLETED & Q(cohort__course__kind=Course.Kind.CARE_CERTIFICATE)
REFERRED_TO_COLLEGE = Q(outcome=Outcome.REFERRED, referred_to=SelectionResult.ReferralPartner.COLLEGE)

MEASURES = [
    Measure("learning.screened", "Screened at a selection event", selection_results),
    Measure("learning.accepted", "Accepted", selection_results, Q(outcome=Outcome.ACCEPTED)),
    Measure("learning.referred", "Referred to build skills", selection_results, Q(outcome=Outcome.REFERRED)),
    Measure("learning.not_accepted", "Not accepted on values", selection_results, Q(outcome=Outcome.NOT_ACCEPTED)),
    Measure("learning.action_plans", "Skills action plans started", action_plans_started),
    Measure("learning.course_starts", "Course starts", course_starts),
    Measure("learning.completions", "Course completions", places_ended, COMPLETED),
    Measure("learning.finished", "People whose course place ended", places_ended),
    Measure("learning.withdrawals", "Withdrawals", places_ended, Q(status=Status.WITHDRAWN)),
    Measure("learning.did_not_complete", "Did not complete", places_ended, Q(status=Status.DID_NOT_COMPLETE)),
    Measure("learning.care_certificates", "Care Certificates achieved", places_ended, CARE_CERTIFICATE),
    Measure("learning.college_referrals", "Referrals to college", selection_results, REFERRED_TO_COLLEGE),
    Measure(
        "learning.college_came_back",
        "Referred to college and came back to be screened again",
        selection_results,
        REFERRED_TO_COLLEGE & Q(Exists(SelectionResult.objects.filter(follows_referral=OuterRef("pk")))),
    ),
]


def learning_section(scope: ReportScope) -> FigureSection:
    """Selection and learning figures in a fixed number of queries (eight)."""
    counts = count_measures(scope, MEASURES)
    by_key = {m.key: m for m in MEASURES}
    people = [people_figure(by_key[key], counts) for key in by_key if key != "learning.finished"]
    screened = counts["learning.screened"]
    figures: list[Figure] = people[:4]
    figures += [
        share_figure(
            f"{key}.share", f"{label}: share of people screened", counts[key], screened, "people screened in the period"
        )
        for key, label in [
            ("learning.accepted", "Accepted"),
            ("learning.referred", "Referred"),
            ("learning.not_accepted", "Not accepted"),
        ]
    ]
    figures += people[4:]
    figures.append(
        share_figure(
            "learning.completion_rate",
            "Completion rate",
            counts["learning.completions"],
            counts["learning.finished"],
            "people whose course place ended in the period (completed, withdrew or did not complete)",
        )
    )
    figures += _withdrawal_reasons(scope)
    figures += [_attendance(scope), _rating(scope)]
    return FigureSection(
        key="learning",
        title="Selection and learning",
        figures=tuple(figures),
        note="Every count of people counts distinct people.",
    )


def _withdrawal_reasons(scope: ReportScope) -> list[Figure]:
    """The most given reasons for withdrawing, people per reason (as written, spaces trimmed)."""
    rows = (
        places_ended(scope)
        .filter(status=Status.WITHDRAWN)
        .annotate(reason=Trim("status_reason"))
        .values("reason")
        .annotate(n=Count("candidate", distinct=True))
        .order_by("-n", "reason")[:TOP_REASONS]
    )
    return [
        Figure(
            key=f"learning.withdrawal_reason.{number}",
            label=f"Withdrew: {row['reason'] or 'no reason recorded'}",
            value=row["n"],
            unit=Unit.PEOPLE,
        )
        for number, row in enumerate(rows, start=1)
    ]


def _attendance(scope: ReportScope) -> Figure:
    marks = in_scope(
        Attendance.objects.all(),
        scope,
        person="enrolment__candidate",
        at="session__date",
        is_datetime=False,
        direct={"cohort": "enrolment__cohort_id", "course": "enrolment__cohort__course_id"},
    ).aggregate(marked=Count("pk"), attended=Count("pk", filter=Q(mark__in=Attendance.ATTENDED)))
    return share_figure(
        "learning.attendance_rate",
        "Attendance rate (present or late)",
        marks["attended"],
        marks["marked"],
        "attendance marks recorded at sessions in the period",
    )


def _rating(scope: ReportScope) -> Figure:
    row = in_scope(
        Feedback.objects.all(),
        scope,
        person="enrolment__candidate",
        at="submitted_at",
        is_datetime=True,
        direct={"cohort": "enrolment__cohort_id", "course": "enrolment__cohort__course_id"},
    ).aggregate(n=Count("pk"), average=Avg("rating"))
    return Figure(
        key="learning.course_rating",
        label="Average course rating (1 to 5)",
        value=one_place(row["average"]) if row["n"] else None,
        unit=Unit.RATING,
        denominator=row["n"],
        denominator_label="ratings given in the period",
    )
