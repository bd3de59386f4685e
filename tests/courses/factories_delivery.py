"""Helpers for the delivery area's tests: a running cohort with past sessions and enrolled learners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from courses.models import Attendance, Cohort, Course, Enrolment, Session
from tests.courses.factories import CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.factories import CandidateFactory


@dataclass
class RunningCohort:
    cohort: Cohort
    sessions: list[Session]
    enrolments: list[Enrolment]


def running_cohort(
    *, learners: int = 3, sessions: int = 3, course: Course | None = None, capacity: int | None = None
) -> RunningCohort:
    """A running cohort whose sessions are all on or before today, with `learners` enrolled (named A-Z order)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=max(sessions, 1) - 1)
    cohort = CohortFactory.create(
        course=course or CourseFactory.create(),
        start_date=start,
        end_date=today + dt.timedelta(days=14),
        status=Cohort.Status.RUNNING,
        capacity=capacity or max(learners, 12),
    )
    made_sessions = [
        SessionFactory.create(cohort=cohort, date=start + dt.timedelta(days=i), topic=f"Day {i + 1}")
        for i in range(sessions)
    ]
    enrolments = [
        EnrolmentFactory.create(
            cohort=cohort, candidate=CandidateFactory.create(first_name=f"Learner{i:02d}", last_name=f"Surname{i:02d}")
        )
        for i in range(learners)
    ]
    return RunningCohort(cohort=cohort, sessions=made_sessions, enrolments=enrolments)


def mark(session: Session, enrolment: Enrolment, value: str = Attendance.Mark.PRESENT, note: str = "") -> Attendance:
    return Attendance.objects.create(session=session, enrolment=enrolment, mark=value, note=note)


def register_data(marks: Mapping[Enrolment, str], notes: Mapping[Enrolment, str] | None = None) -> dict[str, str]:
    """POST data for the register: {"<public id>-mark": mark, "<public id>-note": note}."""
    notes = notes or {}
    data: dict[str, str] = {}
    for enrolment, value in marks.items():
        data[f"{enrolment.public_id}-mark"] = value
        data[f"{enrolment.public_id}-note"] = notes.get(enrolment, "")
    return data
