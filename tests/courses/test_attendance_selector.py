"""Attendance percentages, computed in SQL (courses.selectors.delivery)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from courses.models import Attendance
from courses.selectors.delivery import attendance_percentages, enrolments_with_attendance
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
    assert (row.marked_count, row.attended_count, row.attendance_percent) == (1, 0, Decimal("0.0"))
