"""Services that plan cohorts and their sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from academy.models import AuditEntry, User
from courses.models import Attendance, Cohort, Course, Session, SupportPayment
from courses.services.scheduling import (
    cohort_create,
    cohort_delete,
    cohort_update,
    session_create,
    session_delete,
    session_update,
)
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_catalogue import take_seats

pytestmark = pytest.mark.django_db

T = dt.time


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def cohort_values(course: Course, **overrides: Any) -> dict[str, Any]:
    values = {
        "course": course,
        "name": "Leeds, March",
        "start_date": days(14),
        "end_date": days(25),
        "capacity": 12,
        "venue": "Park Lane",
        "town": "Leeds",
        "partner": "",
        "status": Cohort.Status.PLANNED,
    }
    return {**values, **overrides}


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- cohorts ------------------------------------------------------------------------------------


def test_cohort_create_saves_and_audits(staff: User) -> None:
    course = CourseFactory.create()
    cohort = cohort_create(actor=staff, values=cohort_values(course, name="  Leeds, March  "))
    assert cohort.name == "Leeds, March"
    assert cohort.course == course
    assert AuditEntry.objects.get(action="cohort.create").data == {
        "course": str(course.public_id),
        "status": "planned",
    }


def test_a_one_day_cohort_is_fine(staff: User) -> None:
    cohort = cohort_create(actor=staff, values=cohort_values(CourseFactory.create(), end_date=days(14)))
    assert cohort.start_date == cohort.end_date


def test_cohort_must_end_on_or_after_its_start(staff: User) -> None:
    with pytest.raises(ValidationError) as exc:
        cohort_create(actor=staff, values=cohort_values(CourseFactory.create(), end_date=days(13)))
    assert errors(exc) == {"end_date": ["The end date must be the same as or after the start date"]}


def test_cohort_of_an_archived_course_is_refused(staff: User) -> None:
    course = CourseFactory.create(title="Old course", status=Course.Status.ARCHIVED)
    with pytest.raises(ValidationError) as exc:
        cohort_create(actor=staff, values=cohort_values(course))
    assert errors(exc) == {"course": ["Old course is archived: choose a course that is still offered"]}


def test_cohort_names_are_unique_within_a_course(staff: User) -> None:
    course = CourseFactory.create(title="Care basics")
    CohortFactory.create(course=course, name="Leeds, March")
    with pytest.raises(ValidationError) as exc:
        cohort_create(actor=staff, values=cohort_values(course, name="leeds, march"))
    assert errors(exc) == {"name": ["Care basics already has a cohort called leeds, march: choose another name"]}
    # Another course may use the same name.
    cohort_create(actor=staff, values=cohort_values(CourseFactory.create(), name="Leeds, March"))


@pytest.mark.parametrize(
    ("status", "start", "end", "message"),
    [
        (Cohort.Status.OPEN, -1, 5, "cannot be open for applications"),
        (Cohort.Status.RUNNING, 1, 5, "cannot be running before it starts"),
        (Cohort.Status.FINISHED, -5, 1, "cannot be finished before its end date"),
    ],
)
def test_status_must_fit_the_dates(staff: User, status: str, start: int, end: int, message: str) -> None:
    values = cohort_values(CourseFactory.create(), status=status, start_date=days(start), end_date=days(end))
    with pytest.raises(ValidationError) as exc:
        cohort_create(actor=staff, values=values)
    (error,) = errors(exc)["status"]
    assert message in error


@pytest.mark.parametrize(
    ("status", "start", "end"),
    [
        (Cohort.Status.OPEN, 0, 5),
        (Cohort.Status.RUNNING, 0, 5),
        (Cohort.Status.FINISHED, -5, 0),
        (Cohort.Status.CLOSED, -5, 5),
        (Cohort.Status.CANCELLED, -5, 5),
    ],
)
def test_statuses_that_fit_the_dates(staff: User, status: str, start: int, end: int) -> None:
    values = cohort_values(CourseFactory.create(), status=status, start_date=days(start), end_date=days(end))
    assert cohort_create(actor=staff, values=values).status == status


def test_an_unchanged_open_status_is_not_rechecked_once_started(staff: User) -> None:
    cohort = CohortFactory.create(start_date=days(-2), end_date=days(5), status=Cohort.Status.OPEN)
    cohort_update(cohort=cohort, actor=staff, values={"venue": "New venue"})
    cohort.refresh_from_db()
    assert cohort.venue == "New venue"


def test_cohort_update_records_changes_and_new_status(staff: User) -> None:
    cohort = CohortFactory.create(status=Cohort.Status.PLANNED)
    cohort_update(cohort=cohort, actor=staff, values={"status": Cohort.Status.OPEN, "capacity": 14})
    cohort.refresh_from_db()
    assert (cohort.status, cohort.capacity) == (Cohort.Status.OPEN, 14)
    assert AuditEntry.objects.get(action="cohort.update").data == {"changed": ["capacity", "status"], "status": "open"}


def test_capacity_cannot_drop_below_the_seats_taken(staff: User) -> None:
    cohort = CohortFactory.create(capacity=12)
    take_seats(cohort, 5)
    with pytest.raises(ValidationError) as exc:
        cohort_update(cohort=cohort, actor=staff, values={"capacity": 4})
    assert errors(exc) == {"capacity": ["5 places are already offered or taken: the capacity must be 5 or more"]}
    cohort_update(cohort=cohort, actor=staff, values={"capacity": 5})


def test_new_dates_must_keep_the_sessions_inside(staff: User) -> None:
    cohort = CohortFactory.create(start_date=days(10), end_date=days(20))
    SessionFactory.create(cohort=cohort, date=days(10))
    SessionFactory.create(cohort=cohort, date=days(20))
    with pytest.raises(ValidationError) as exc:
        cohort_update(cohort=cohort, actor=staff, values={"start_date": days(11)})
    (message,) = errors(exc)["start_date"]
    assert message.startswith("1 session falls outside the new dates")
    with pytest.raises(ValidationError) as exc:
        cohort_update(cohort=cohort, actor=staff, values={"start_date": days(12), "end_date": days(15)})
    (message,) = errors(exc)["start_date"]
    assert message.startswith("2 sessions fall outside the new dates")


def test_the_course_is_fixed_once_someone_applied(staff: User) -> None:
    cohort = CohortFactory.create()
    ApplicationFactory.create(cohort=cohort)
    with pytest.raises(ValidationError) as exc:
        cohort_update(cohort=cohort, actor=staff, values={"course": CourseFactory.create()})
    assert "The course cannot change once people have applied or enrolled" in errors(exc)["course"][0]


def test_the_course_can_change_before_anyone_applies(staff: User) -> None:
    cohort = CohortFactory.create()
    other = CourseFactory.create()
    cohort_update(cohort=cohort, actor=staff, values={"course": other})
    cohort.refresh_from_db()
    assert cohort.course == other


def test_several_problems_are_reported_together(staff: User) -> None:
    cohort = CohortFactory.create(capacity=12)
    take_seats(cohort, 3)
    other = CohortFactory.create(course=cohort.course, name="Taken name")
    with pytest.raises(ValidationError) as exc:
        cohort_update(cohort=cohort, actor=staff, values={"capacity": 1, "name": other.name})
    assert set(errors(exc)) == {"capacity", "name"}


def test_cohort_delete_removes_an_unused_cohort_and_its_sessions(staff: User) -> None:
    cohort = CohortFactory.create()
    SessionFactory.create(cohort=cohort)
    cohort_delete(cohort=cohort, actor=staff)
    assert not Cohort.objects.filter(pk=cohort.pk).exists()
    assert not Session.objects.exists()
    assert AuditEntry.objects.get(action="cohort.delete").data["name"] == cohort.name


def test_cohort_delete_is_refused_with_applications_enrolments_or_payments(staff: User) -> None:
    cohort = CohortFactory.create(name="Leeds, March")
    ApplicationFactory.create_batch(2, cohort=cohort)
    enrolment = EnrolmentFactory.create(cohort=cohort)
    SupportPayment.objects.create(candidate=enrolment.candidate, cohort=cohort, kind="transport", amount=5)
    with pytest.raises(ValidationError) as exc:
        cohort_delete(cohort=cohort, actor=staff)
    assert exc.value.messages == [
        "Leeds, March has 2 applications and 1 enrolment and 1 support payment, so it cannot be deleted. "
        "Cancel it instead (edit it and choose Cancelled): its history is kept."
    ]


# --- sessions -----------------------------------------------------------------------------------


def session_values(**overrides: Any) -> dict[str, Any]:
    values = {
        "date": days(14),
        "start_time": T(9, 30),
        "end_time": T(15, 0),
        "venue": "",
        "online_link": "",
        "tutor": "Jo",
        "topic": "Safeguarding",
    }
    return {**values, **overrides}


@pytest.fixture
def cohort() -> Cohort:
    return CohortFactory.create(start_date=days(14), end_date=days(27), name="Leeds, March")


def test_session_create_adds_one_session_and_audits_on_the_cohort(staff: User, cohort: Cohort) -> None:
    (session,) = session_create(cohort=cohort, actor=staff, values=session_values())
    assert (session.date, session.topic) == (days(14), "Safeguarding")
    entry = AuditEntry.objects.get(action="session.create")
    assert entry.object_id == str(cohort.pk)
    assert entry.data["dates"] == [days(14).isoformat()]


def test_session_create_repeats_on_chosen_weekdays_until_the_cohort_ends(staff: User, cohort: Cohort) -> None:
    first = cohort.start_date
    weekdays = {first.weekday(), (first.weekday() + 2) % 7}
    sessions = session_create(cohort=cohort, actor=staff, values=session_values(date=first), repeat_weekdays=weekdays)
    dates = [s.date for s in sessions]
    assert dates[0] == first
    assert all(d.weekday() in weekdays for d in dates)
    assert dates[-1] <= cohort.end_date
    assert len(dates) == 4  # two weeks, two days a week


def test_a_repeat_that_clashes_adds_nothing_and_names_the_date(staff: User, cohort: Cohort) -> None:
    clash_day = cohort.start_date + dt.timedelta(days=7)
    SessionFactory.create(cohort=cohort, date=clash_day, start_time=T(10, 0), end_time=T(11, 0))
    with pytest.raises(ValidationError) as exc:
        session_create(
            cohort=cohort,
            actor=staff,
            values=session_values(date=cohort.start_date),
            repeat_weekdays={cohort.start_date.weekday()},
        )
    (message,) = errors(exc)["repeat_weekdays"]
    assert message.startswith(f"Not added: on {clash_day:%A} {clash_day.day} {clash_day:%B %Y}: Another session")
    assert cohort.sessions.count() == 1


@pytest.mark.parametrize("offset", [-1, 14])
def test_a_session_must_be_within_the_cohort(staff: User, cohort: Cohort, offset: int) -> None:
    with pytest.raises(ValidationError) as exc:
        session_create(cohort=cohort, actor=staff, values=session_values(date=days(14 + offset)))
    (message,) = errors(exc)["date"]
    assert message.startswith("The date must be within the cohort's dates")


def test_a_session_ends_after_it_starts(staff: User, cohort: Cohort) -> None:
    with pytest.raises(ValidationError) as exc:
        session_create(cohort=cohort, actor=staff, values=session_values(start_time=T(15), end_time=T(15)))
    assert errors(exc) == {"end_time": ["The end time must be after the start time"]}


def test_sessions_of_a_cohort_do_not_overlap(staff: User, cohort: Cohort) -> None:
    SessionFactory.create(cohort=cohort, date=days(14), start_time=T(9, 30), end_time=T(12, 0))
    with pytest.raises(ValidationError) as exc:
        session_create(cohort=cohort, actor=staff, values=session_values(start_time=T(11), end_time=T(13)))
    (message,) = errors(exc)["start_time"]
    assert message.startswith("Another session of this cohort runs from 09:30 to 12:00")
    # Back to back is fine, and so is the same time on another cohort.
    session_create(cohort=cohort, actor=staff, values=session_values(start_time=T(12), end_time=T(15)))
    other = CohortFactory.create(start_date=days(14), end_date=days(20))
    session_create(cohort=other, actor=staff, values=session_values(start_time=T(9, 30), end_time=T(12)))


def test_session_update_moves_it_and_ignores_its_own_times(staff: User, cohort: Cohort) -> None:
    session = SessionFactory.create(cohort=cohort, date=days(14), start_time=T(9, 30), end_time=T(15))
    session_update(session=session, actor=staff, values=session_values(start_time=T(10), end_time=T(15)))
    session_update(session=session, actor=staff, values=session_values(date=days(15)))
    session.refresh_from_db()
    assert (session.date, session.start_time) == (days(15), T(9, 30))
    assert AuditEntry.objects.filter(action="session.update", object_id=str(cohort.pk)).count() == 2


def test_session_update_checks_the_rules(staff: User, cohort: Cohort) -> None:
    session = SessionFactory.create(cohort=cohort, date=days(14))
    with pytest.raises(ValidationError) as exc:
        session_update(session=session, actor=staff, values={"date": days(40)})
    assert "date" in errors(exc)


def test_session_delete(staff: User, cohort: Cohort) -> None:
    session = SessionFactory.create(cohort=cohort)
    session_delete(session=session, actor=staff)
    assert not Session.objects.exists()
    assert AuditEntry.objects.get(action="session.delete").object_id == str(cohort.pk)


def test_a_session_with_attendance_is_not_deleted(staff: User, cohort: Cohort) -> None:
    session = SessionFactory.create(cohort=cohort)
    Attendance.objects.create(session=session, enrolment=EnrolmentFactory.create(cohort=cohort), mark="present")
    with pytest.raises(ValidationError) as exc:
        session_delete(session=session, actor=staff)
    assert exc.value.messages[0].startswith("Attendance has been taken for this session")
    assert Session.objects.filter(pk=session.pk).exists()
