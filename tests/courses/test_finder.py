"""The course finder's selectors: which cohorts anyone can apply to, with seats counted in SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from academy.models import User
from courses.models import Application, Cohort, Course, Enrolment
from courses.permissions import cohorts_visible_to
from courses.selectors.finder import (
    FinderFilters,
    bookable_cohorts,
    course_upcoming_cohorts,
    finder_cohorts,
    finder_towns,
    learner_places,
)
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_catalogue import take_seats

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def names(cohorts: object) -> set[str]:
    return {c.name for c in cohorts}  # type: ignore[attr-defined]


def test_only_open_upcoming_cohorts_of_published_courses_with_seats() -> None:
    CohortFactory.create(name="bookable")
    CohortFactory.create(name="starts today", start_date=today())
    CohortFactory.create(name="started", start_date=days(-1), end_date=days(5))
    CohortFactory.create(name="planned", status=Cohort.Status.PLANNED)
    CohortFactory.create(name="closed", status=Cohort.Status.CLOSED)
    CohortFactory.create(name="cancelled", status=Cohort.Status.CANCELLED)
    CohortFactory.create(name="draft course", course=CourseFactory.create(status=Course.Status.DRAFT))
    CohortFactory.create(name="archived course", course=CourseFactory.create(status=Course.Status.ARCHIVED))
    take_seats(CohortFactory.create(name="full", capacity=2), 2)
    assert names(bookable_cohorts(today=today())) == {"bookable", "starts today"}


def test_seats_left_count_offers_and_places_but_not_other_applications() -> None:
    cohort = CohortFactory.create(capacity=10)
    ApplicationFactory.create(cohort=cohort, status=Application.Status.OFFERED)
    accepted = ApplicationFactory.create(cohort=cohort, status=Application.Status.ACCEPTED)
    EnrolmentFactory.create(cohort=cohort, candidate=accepted.candidate, application=accepted)
    EnrolmentFactory.create(cohort=cohort)  # placed by staff, no application
    for status in (Application.Status.SUBMITTED, Application.Status.WAITING_LIST, Application.Status.DECLINED):
        ApplicationFactory.create(cohort=cohort, status=status)
    EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.PAUSED)
    EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.WITHDRAWN)
    (row,) = bookable_cohorts(today=today())
    assert (row.seats_taken, row.seats_left) == (3, 7)  # type: ignore[attr-defined]


def test_over_full_cohort_shows_no_negative_seats() -> None:
    cohort = CohortFactory.create(capacity=1, status=Cohort.Status.CLOSED)
    take_seats(cohort, 2)
    (row,) = course_upcoming_cohorts(course=cohort.course, cohorts=Cohort.objects.all(), today=today())
    assert row.seats_left == 0  # type: ignore[attr-defined]


def test_finder_filters_by_type_town_and_start_dates() -> None:
    bite = CourseFactory.create(kind=Course.Kind.BITE_SIZE)
    cert = CourseFactory.create(kind=Course.Kind.CARE_CERTIFICATE)
    CohortFactory.create(name="leeds bite", course=bite, town="Leeds", start_date=days(5))
    CohortFactory.create(name="bradford cert", course=cert, town="Bradford", start_date=days(30))

    def find(**filters: object) -> set[str]:
        return names(finder_cohorts(filters=FinderFilters(**filters), today=today()))  # type: ignore[arg-type]

    assert find() == {"leeds bite", "bradford cert"}
    assert find(kind=Course.Kind.CARE_CERTIFICATE) == {"bradford cert"}
    assert find(town="leeds") == {"leeds bite"}
    assert find(starts_from=days(6)) == {"bradford cert"}
    assert find(starts_to=days(5)) == {"leeds bite"}
    assert find(starts_from=days(5), starts_to=days(30)) == {"leeds bite", "bradford cert"}


def test_finder_orders_soonest_first() -> None:
    CohortFactory.create(name="later", start_date=days(20))
    CohortFactory.create(name="sooner", start_date=days(3))
    assert [c.name for c in finder_cohorts(filters=FinderFilters(), today=today())] == ["sooner", "later"]


def test_finder_towns_are_distinct_and_only_where_something_is_bookable() -> None:
    CohortFactory.create(town="Leeds")
    CohortFactory.create(town="Leeds")
    CohortFactory.create(town="Bradford")
    CohortFactory.create(town="")
    CohortFactory.create(town="Hull", status=Cohort.Status.PLANNED)
    assert finder_towns(today=today()) == ["Bradford", "Leeds"]


def test_course_upcoming_cohorts_marks_bookable_ones_and_prefetches_sessions(django_assert_num_queries) -> None:
    course = CourseFactory.create()
    bookable = CohortFactory.create(course=course, name="bookable", start_date=days(3))
    SessionFactory.create_batch(2, cohort=bookable)
    take_seats(CohortFactory.create(course=course, name="full", capacity=1, start_date=days(4)), 1)
    CohortFactory.create(course=course, name="closed", status=Cohort.Status.CLOSED, start_date=days(5))
    CohortFactory.create(course=course, name="past", start_date=days(-30), end_date=days(-20))
    with django_assert_num_queries(2):
        cohorts = course_upcoming_cohorts(course=course, cohorts=Cohort.objects.all(), today=today())
        assert [(c.name, c.is_bookable, len(c.sessions.all())) for c in cohorts] == [  # type: ignore[attr-defined]
            ("bookable", True, 2),
            ("full", False, 0),
            ("closed", False, 0),
        ]


def test_course_upcoming_cohorts_respects_the_viewers_scope(learner: User) -> None:
    course = CourseFactory.create()
    CohortFactory.create(course=course, name="open")
    CohortFactory.create(course=course, name="planned", status=Cohort.Status.PLANNED)
    cohorts = course_upcoming_cohorts(course=course, cohorts=cohorts_visible_to(learner), today=today())
    assert names(cohorts) == {"open"}


def test_learner_places(learner: User, candidate: object) -> None:
    applied, enrolled, withdrawn, other = CohortFactory.create_batch(4)
    ApplicationFactory.create(cohort=applied, candidate=candidate)
    EnrolmentFactory.create(cohort=enrolled, candidate=candidate)
    EnrolmentFactory.create(cohort=withdrawn, candidate=candidate, status=Enrolment.Status.WITHDRAWN)
    ApplicationFactory.create(cohort=other)
    places = learner_places(user=learner, cohorts=[applied, enrolled, withdrawn, other])
    assert places.applied == {applied.pk}
    assert places.enrolled == {enrolled.pk}


def test_learner_places_for_staff_is_empty(staff: User, django_assert_num_queries) -> None:
    cohort = CohortFactory.create()
    with django_assert_num_queries(0):
        places = learner_places(user=staff, cohorts=[cohort])
    assert not places.applied
    assert not places.enrolled
