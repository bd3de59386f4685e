"""What the public course finder and course pages read.

A cohort is "bookable" when it is open for applications, has not started, belongs to a published
course and has a seat left (seats counted in SQL by `with_seats`). The finder lists only bookable
cohorts; a course page also shows its other upcoming cohorts, marked full or closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When

from academy.models import User
from courses.models import Application, Cohort, Course, Enrolment, Session
from courses.selectors.catalogue import with_seats


@dataclass(frozen=True)
class FinderFilters:
    kind: str = ""
    town: str = ""
    starts_from: dt.date | None = None
    starts_to: dt.date | None = None


def _bookable(today: dt.date) -> Q:
    # Needs the `seats_left` annotation of `with_seats`.
    return Q(status=Cohort.Status.OPEN, start_date__gte=today, course__status=Course.Status.PUBLISHED, seats_left__gt=0)


def bookable_cohorts(*, today: dt.date) -> QuerySet[Cohort]:
    """Cohorts anyone can apply to today, with their seats annotated."""
    return with_seats(Cohort.objects.all()).filter(_bookable(today))


def finder_cohorts(*, filters: FinderFilters, today: dt.date) -> QuerySet[Cohort]:
    """Bookable cohorts matching the filters, soonest first, with their course."""
    qs = bookable_cohorts(today=today).select_related("course")
    if filters.kind:
        qs = qs.filter(course__kind=filters.kind)
    if filters.town:
        qs = qs.filter(town__iexact=filters.town)
    if filters.starts_from:
        qs = qs.filter(start_date__gte=filters.starts_from)
    if filters.starts_to:
        qs = qs.filter(start_date__lte=filters.starts_to)
    return qs.order_by("start_date", "course__title", "name", "pk")


def finder_towns(*, today: dt.date) -> list[str]:
    """Towns with a bookable cohort, for the finder's place filter."""
    towns = bookable_cohorts(today=today).exclude(town="").order_by("town").values_list("town", flat=True)
    return list(dict.fromkeys(towns))


def course_upcoming_cohorts(*, course: Course, cohorts: QuerySet[Cohort], today: dt.date) -> list[Cohort]:
    """`course`'s cohorts (from the viewer's `cohorts` scope) that have not started.

    Each has `seats_left`, `is_bookable` and its sessions (prefetched): two queries in all.
    """
    sessions = Prefetch("sessions", queryset=Session.objects.order_by("date", "start_time", "pk"))
    qs = with_seats(cohorts.filter(course=course, start_date__gte=today)).annotate(
        is_bookable=Case(When(_bookable(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    return list(qs.prefetch_related(sessions).order_by("start_date", "name", "pk"))


@dataclass(frozen=True)
class LearnerPlaces:
    """Which of some cohorts a learner has already applied to, or has a place on."""

    applied: frozenset[int]
    enrolled: frozenset[int]


def learner_places(*, user: User, cohorts: list[Cohort]) -> LearnerPlaces:
    """The learner's applications and (not withdrawn) enrolments among `cohorts`, in two queries."""
    ids = [cohort.pk for cohort in cohorts]
    if not ids or not (user.is_authenticated and user.is_learner):
        return LearnerPlaces(applied=frozenset(), enrolled=frozenset())
    applied = Application.objects.filter(cohort_id__in=ids, candidate__user=user).values_list("cohort_id", flat=True)
    enrolled = (
        Enrolment.objects.filter(cohort_id__in=ids, candidate__user=user)
        .filter(~Q(status=Enrolment.Status.WITHDRAWN))
        .values_list("cohort_id", flat=True)
    )
    return LearnerPlaces(applied=frozenset(applied), enrolled=frozenset(enrolled))
