"""The demo courses: what the issue asks for, consistent with the catalogue's rules, and idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from courses.demo import seed_courses
from courses.models import Cohort, Course, ScreeningQuestion, Session
from courses.services.scheduling import cohort_status_problem

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (Course.objects.count(), ScreeningQuestion.objects.count(), Cohort.objects.count(), Session.objects.count())


def test_seed_courses_is_idempotent() -> None:
    now = timezone.now()
    seed_courses(now=now)
    first = counts()
    seed_courses(now=now)
    assert counts() == first
    seed_courses(now=now + dt.timedelta(days=40))  # a later run leaves existing cohorts as they are
    assert counts() == first


def test_demo_has_the_courses_the_issue_asks_for() -> None:
    seed_courses(now=timezone.now())
    published = Course.objects.filter(status=Course.Status.PUBLISHED)
    assert published.count() >= 4
    assert published.filter(kind=Course.Kind.BITE_SIZE, placement_days=4).exists()
    six_week = published.get(guaranteed_interview=True)
    cohort = six_week.cohorts.first()
    assert cohort is not None
    assert (cohort.end_date - cohort.start_date).days >= 5 * 7
    assert published.filter(kind=Course.Kind.CARE_CERTIFICATE).exists()
    assert published.filter(kind=Course.Kind.REFRESHER).exists()
    assert Course.objects.filter(status=Course.Status.DRAFT).exists()


@pytest.mark.parametrize("weekday", range(7))
def test_demo_cohorts_are_past_running_and_future_and_follow_the_rules(weekday: int) -> None:
    today = dt.date(2027, 3, 1) + dt.timedelta(days=weekday)  # 1 March 2027 is a Monday
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    seed_courses(now=now)
    statuses = set(Cohort.objects.values_list("status", flat=True))
    assert {Cohort.Status.FINISHED, Cohort.Status.RUNNING, Cohort.Status.OPEN, Cohort.Status.PLANNED} <= statuses
    assert Cohort.objects.filter(status=Cohort.Status.OPEN, start_date__gt=today).count() >= 3
    for cohort in Cohort.objects.select_related("course"):
        assert cohort.start_date.weekday() == 0
        assert cohort.start_date <= cohort.end_date
        assert cohort_status_problem(cohort.status, cohort.start_date, cohort.end_date, today) == ""
        sessions = list(cohort.sessions.all())
        assert len(sessions) == cohort.course.length_days
        assert all(cohort.start_date <= s.date <= cohort.end_date for s in sessions)
        assert len({s.date for s in sessions}) == len(sessions)  # one a day: no overlaps
