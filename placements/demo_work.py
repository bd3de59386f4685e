"""Work placements' part of `seed_demo`: placements for the demo cohorts' learners, and readiness feedback.

For courses with a placement: learners who completed a finished cohort had a placement at its end,
mostly signed off with a review and hours (one ended early); learners on a running cohort are on
theirs (in progress) or about to start (planned). Signed-off placements have readiness feedback:
most answered, some still due. Idempotent: a learner's placement on a cohort is made once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from academy import demo
from academy.models import User
from courses.models import Cohort, Enrolment
from placements.models import ReadinessFeedback, WorkPlacement, WorkPlacementStatusChange
from providers.models import Provider

Status = WorkPlacement.Status
HOURS_A_DAY = Decimal("7")
SUPERVISORS = ["Karen Holt", "Femi Adeyemi", "Lucy Marsh"]
REVIEWS = [
    "Arrived on time every day and was warm with residents. Confident with personal care by the third day.",
    "Quiet at first, then asked good questions. Needs more practice with moving and handling equipment.",
    "Excellent with people living with dementia: patient and kind. We would interview them for a job.",
    "Reliable and keen to learn. Should build confidence in recording care notes.",
]
RATINGS = [5, 4, 4, 3, 5, 2, 4]
COMMENTS = [
    "Ready to start with a normal induction.",
    "Good values; needs a longer shadowing period.",
    "",
    "The course prepared them well for safeguarding; less so for the pace of a home care round.",
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _history(placement: WorkPlacement, moves: list[tuple[str, str, dt.datetime, User | None]]) -> None:
    WorkPlacementStatusChange.objects.bulk_create(
        WorkPlacementStatusChange(placement=placement, from_status=f, to_status=t, changed_at=at, changed_by=by)
        for f, t, at, by in moves
    )


def _providers() -> list[Provider]:
    names = [spec["name"] for spec in demo.DEMO_PROVIDERS]
    found = list(Provider.objects.filter(name__in=names).order_by("name"))
    return found or list(Provider.objects.order_by("name")[:2])


def _placement_dates(cohort: Cohort, days: int) -> tuple[dt.date, dt.date]:
    """The last `days` weekdays of the cohort (placements close a course)."""
    end = cohort.end_date
    while end.weekday() > 4:
        end -= dt.timedelta(days=1)
    start, counted = end, 1
    while counted < days:
        start -= dt.timedelta(days=1)
        if start.weekday() < 5:
            counted += 1
    return start, end


@transaction.atomic
def seed(*, now: dt.datetime) -> str:
    today = timezone.localdate(now)
    providers = _providers()
    staff = User.objects.filter(email="staff@demo.academy").first()
    if not providers:
        return "no providers for work placements"
    cohorts = (
        Cohort.objects.filter(course__placement_days__gt=0, start_date__lte=today)
        .exclude(status=Cohort.Status.CANCELLED)
        .select_related("course")
        .order_by("start_date", "pk")
    )
    made = 0
    number = 0
    for cohort in cohorts:
        closing_start, closing_end = _placement_dates(cohort, cohort.course.placement_days)
        planned = HOURS_A_DAY * cohort.course.placement_days
        enrolments = cohort.enrolments.filter(
            status__in=(Enrolment.Status.COMPLETED, Enrolment.Status.ENROLLED)
        ).select_related("candidate")
        for index, enrolment in enumerate(enrolments.order_by("candidate__last_name", "pk")):
            if WorkPlacement.objects.filter(candidate=enrolment.candidate, cohort=cohort).exists():
                continue
            start, end = closing_start, closing_end
            if enrolment.status == Enrolment.Status.ENROLLED and today < start and index % 2 == 0:
                # On a running cohort, half the learners are out on their placement this week.
                start = max(cohort.start_date, today - dt.timedelta(days=1))
                end = start + dt.timedelta(days=cohort.course.placement_days - 1)
            provider = providers[number % len(providers)]
            host = provider.memberships.select_related("user").order_by("pk").first()
            host_user = host.user if host else None
            placement = WorkPlacement(
                candidate=enrolment.candidate,
                cohort=cohort,
                provider=provider,
                start_date=start,
                end_date=end,
                planned_hours=planned,
                supervisor_name=SUPERVISORS[number % len(SUPERVISORS)],
                supervisor_phone="0113 496 0" + f"{100 + number:03d}",
                created_at=_at(cohort.start_date - dt.timedelta(days=7), 10),
            )
            moves: list[tuple[str, str, dt.datetime, User | None]] = [("", Status.PLANNED, placement.created_at, staff)]
            if end < today and enrolment.status == Enrolment.Status.COMPLETED:
                if number % 7 == 6:
                    placement.status = Status.ENDED_EARLY
                    placement.status_reason = "Offered a job elsewhere and started before the placement ended."
                    placement.worked_hours = HOURS_A_DAY
                    moves += [
                        (Status.PLANNED, Status.IN_PROGRESS, _at(start, 9), staff),
                        (Status.IN_PROGRESS, Status.ENDED_EARLY, _at(start + dt.timedelta(days=1), 16), staff),
                    ]
                else:
                    placement.status = Status.SIGNED_OFF
                    placement.worked_hours = planned - (HOURS_A_DAY / 2 if number % 4 == 1 else 0)
                    placement.review = REVIEWS[number % len(REVIEWS)]
                    placement.signed_off_at = _at(end + dt.timedelta(days=2), 11)
                    placement.signed_off_by = host_user
                    moves += [
                        (Status.PLANNED, Status.IN_PROGRESS, _at(start, 9), host_user),
                        (Status.IN_PROGRESS, Status.COMPLETED, _at(end, 17), host_user),
                        (Status.COMPLETED, Status.SIGNED_OFF, placement.signed_off_at, host_user),
                    ]
            elif start <= today <= end and enrolment.status == Enrolment.Status.ENROLLED:
                placement.status = Status.IN_PROGRESS
                placement.worked_hours = HOURS_A_DAY * (today - start).days
                moves.append((Status.PLANNED, Status.IN_PROGRESS, _at(start, 9), host_user))
            elif end < today and enrolment.status == Enrolment.Status.ENROLLED:
                # The course has ended, outcomes are not recorded yet: the provider still has to sign off.
                placement.status = Status.COMPLETED
                placement.worked_hours = planned
                moves += [
                    (Status.PLANNED, Status.IN_PROGRESS, _at(start, 9), host_user),
                    (Status.IN_PROGRESS, Status.COMPLETED, _at(end, 17), host_user),
                ]
            elif today < start and enrolment.status == Enrolment.Status.ENROLLED:
                placement.status = Status.PLANNED
            else:
                continue
            placement.save()
            _history(placement, moves)
            if placement.status == Status.SIGNED_OFF:
                _feedback(placement, number, host_user, today)
            made += 1
            number += 1
    due = ReadinessFeedback.objects.filter(answered_at=None).count()
    return f"{made} work placements, {due} readiness feedback due"


def _feedback(placement: WorkPlacement, number: int, host_user: User | None, today: dt.date) -> None:
    """Asked the day after sign-off; answered a few days later, except every third (still due)."""
    assert placement.signed_off_at is not None  # noqa: S101  (set just above for signed-off placements)
    asked = placement.signed_off_at + dt.timedelta(days=1)
    feedback = ReadinessFeedback(
        provider=placement.provider, placement=placement, due_on=placement.end_date, requested_at=asked
    )
    answered_on = asked + dt.timedelta(days=3)
    if number % 3 != 2 and answered_on.date() <= today:
        feedback.rating = RATINGS[number % len(RATINGS)]
        feedback.comment = COMMENTS[number % len(COMMENTS)]
        feedback.answered_at = answered_on
        feedback.answered_by = host_user
    feedback.save()
