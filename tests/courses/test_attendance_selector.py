"""Attendance percentages, computed in SQL (courses.selectors.delivery)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import Attendance, Enrolment
from courses.selectors.delivery import (
    attendance_percentages,
    enrolments_with_attendance,
    expected_at_session,
    session_register,
)
from tests.courses.factories import CohortFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _mark(session, enrolment, mark):
    return Attendance.objects.create(session=session, enrolment=enrolment, mark=mark)


def test_attendance_percentages_count_present_and_late_over_marked_sessions() -> None:
    cohort = CohortFactory.create()
    sessions = [SessionFactory.create(cohort=cohort, date=cohort.start_date + dt.timedelta(days=i)) for i in range(4)]
    keen, patchy, new = EnrolmentFactory.create_batch(3, cohort=cohort)
    for s in sessions:
        _mark(s, keen, Attendance.Mark.PRESENT)
    _mark(sessions[0], patchy, Attendance.Mark.PRESENT)
    _mark(sessions[1], patchy, Attendance.Mark.LATE)
    _mark(sessions[2], patchy, Attendance.Mark.ABSENT_REASON)
    # Another cohort's marks do not leak in.
    other = EnrolmentFactory.create()
    _mark(SessionFactory.create(cohort=other.cohort), other, Attendance.Mark.ABSENT)

    result = attendance_percentages(cohort)

    assert result == {keen.pk: Decimal("100.0"), patchy.pk: Decimal("66.7"), new.pk: None}
    assert isinstance(result[patchy.pk], Decimal)


def test_enrolments_with_attendance_annotates_counts(django_assert_num_queries) -> None:
    cohort = CohortFactory.create()
    session = SessionFactory.create(cohort=cohort)
    enrolment = EnrolmentFactory.create(cohort=cohort)
    _mark(session, enrolment, Attendance.Mark.ABSENT)
    with django_assert_num_queries(1):
        row = enrolments_with_attendance(cohort.enrolments.all()).get()
    figures = (row.marked_count, row.attended_count, row.attendance_percent)  # type: ignore[attr-defined]
    assert figures == (1, 0, Decimal("0.0"))


def test_expected_at_session_leaves_out_only_those_who_left_before_it() -> None:
    cohort = CohortFactory.create()
    session = SessionFactory.create(cohort=cohort, date=cohort.start_date + dt.timedelta(days=5))
    before = timezone.make_aware(dt.datetime.combine(session.date - dt.timedelta(days=1), dt.time(12)))
    same_day = timezone.make_aware(dt.datetime.combine(session.date, dt.time(16)))
    enrolled = EnrolmentFactory.create(cohort=cohort)
    completed = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.COMPLETED)
    paused_before = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.PAUSED, ended_at=before)
    withdrew_before_but_marked = EnrolmentFactory.create(
        cohort=cohort, status=Enrolment.Status.WITHDRAWN, ended_at=before
    )
    _mark(session, withdrew_before_but_marked, Attendance.Mark.ABSENT)
    paused_that_day = EnrolmentFactory.create(cohort=cohort, status=Enrolment.Status.PAUSED, ended_at=same_day)
    EnrolmentFactory.create()  # another cohort

    expected = set(expected_at_session(session))

    assert expected == {enrolled, completed, withdrew_before_but_marked, paused_that_day}
    assert paused_before not in expected


def test_session_register_reads_in_three_queries(django_assert_num_queries) -> None:
    cohort = CohortFactory.create()
    sessions = [SessionFactory.create(cohort=cohort, date=cohort.start_date + dt.timedelta(days=i)) for i in range(3)]
    for enrolment in EnrolmentFactory.create_batch(5, cohort=cohort):
        _mark(sessions[0], enrolment, Attendance.Mark.PRESENT)

    with django_assert_num_queries(3):
        register = session_register(sessions[1])

    assert len(register.enrolments) == 5 and register.marks == {}
    assert (register.number, register.previous, register.next) == (2, sessions[0], sessions[2])
