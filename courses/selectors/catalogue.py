"""What the catalogue's staff screens read: courses, their questions and cohorts, cohorts' sessions.

Seats follow the applications area's single definition (`seats_taken_expression`), so the cohort
list, the course finder and the capacity check always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from courses.models import Application, Cohort, Course, Enrolment, ScreeningQuestion, Session
from courses.selectors.applications import seats_taken_expression

# Cohorts that are over: the staff list hides them unless asked ("show: finished").
OVER = (Cohort.Status.FINISHED, Cohort.Status.CANCELLED)


def _count(queryset: QuerySet[Any], outer: str) -> Coalesce:
    """A correlated COUNT(*) of `queryset` rows whose `outer` field is the outer row's pk (0 if none)."""
    counted = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_seats(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Annotate `seats_taken` and `seats_left` (never below 0), in SQL."""
    return cohorts.annotate(seats_taken=seats_taken_expression()).annotate(
        seats_left=Greatest(F("capacity") - F("seats_taken"), Value(0))
    )


# --- courses -------------------------------------------------------------------------------------


def course_list(*, courses: QuerySet[Course], search: str = "", kind: str = "", status: str = "") -> QuerySet[Course]:
    """Courses by title with their numbers of questions and of cohorts not yet over."""
    qs = courses.annotate(
        question_count=_count(ScreeningQuestion.objects.all(), "course"),
        live_cohort_count=_count(Cohort.objects.exclude(status__in=OVER), "course"),
    )
    if search:
        qs = qs.filter(title__icontains=search)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("title", "pk")


def course_questions(course: Course) -> list[ScreeningQuestion]:
    """A course's screening questions in the order applicants see them."""
    return list(course.questions.order_by("position", "pk"))


def course_cohorts(course: Course) -> list[Cohort]:
    """A course's cohorts, latest start first, with their seats."""
    return list(with_seats(course.cohorts.all()).order_by("-start_date", "name"))


def question_has_answers(question: ScreeningQuestion) -> bool:
    """Whether any application holds an answer to `question` (answers are keyed by question id)."""
    return Application.objects.filter(cohort__course_id=question.course_id, answers__has_key=str(question.pk)).exists()


def course_choices(*, include: Course | None = None) -> QuerySet[Course]:
    """Courses a cohort can be planned for: all but archived ones, plus `include` (a cohort's current course)."""
    condition = ~Q(status=Course.Status.ARCHIVED)
    if include is not None:
        condition |= Q(pk=include.pk)
    return Course.objects.filter(condition).order_by("title")


# --- cohorts -------------------------------------------------------------------------------------


class Show:
    """Which part of the calendar the staff cohort list shows."""

    CURRENT = "current"
    FINISHED = "finished"
    ALL = "all"

    choices = [(CURRENT, "Upcoming and running"), (FINISHED, "Finished and cancelled"), (ALL, "All cohorts")]


@dataclass(frozen=True)
class CohortFilters:
    course: str = ""  # a course's public_id
    status: str = ""
    town: str = ""
    starts_from: dt.date | None = None
    starts_to: dt.date | None = None
    show: str = Show.CURRENT


def cohort_list(*, cohorts: QuerySet[Cohort], filters: CohortFilters) -> QuerySet[Cohort]:
    """Cohorts for the staff list with their course and seats; upcoming first, or latest first when over."""
    qs = with_seats(cohorts.select_related("course"))
    if filters.show == Show.CURRENT:
        qs = qs.exclude(status__in=OVER)
    elif filters.show == Show.FINISHED:
        qs = qs.filter(status__in=OVER)
    if filters.course:
        qs = qs.filter(course__public_id=filters.course)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.town:
        qs = qs.filter(town__icontains=filters.town)
    if filters.starts_from:
        qs = qs.filter(start_date__gte=filters.starts_from)
    if filters.starts_to:
        qs = qs.filter(start_date__lte=filters.starts_to)
    if filters.show == Show.FINISHED:
        return qs.order_by("-start_date", "name", "pk")
    return qs.order_by("start_date", "name", "pk")


def cohort_filter_course_choices() -> list[tuple[str, str]]:
    """(public_id, title) of every course, for the cohort list's filter."""
    return [
        (str(public_id), title)
        for public_id, title in Course.objects.order_by("title").values_list("public_id", "title")
    ]


def cohort_sessions(cohort: Cohort) -> QuerySet[Session]:
    """A cohort's sessions in date order, each with its number of attendance marks."""
    return cohort.sessions.annotate(mark_count=Count("attendance")).order_by("date", "start_time", "pk")


def cohort_last_session(cohort: Cohort) -> Session | None:
    """The cohort's latest session: a new one starts from its times, place and tutor."""
    return cohort.sessions.order_by("-date", "-start_time", "-pk").first()


def cohort_dependants(cohort: Cohort) -> dict[str, int]:
    """How many applications, enrolments and support payments hang on `cohort` (deleting it needs none)."""
    return {
        "applications": Application.objects.filter(cohort=cohort).count(),
        "enrolments": Enrolment.objects.filter(cohort=cohort).count(),
        "payments": cohort.support_payments.count(),
    }
