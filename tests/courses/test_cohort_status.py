"""Cohorts move by date and capacity each day: full -> closed, start date -> running, after the end -> finished."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from academy.models import AuditEntry
from courses.models import Application, Cohort, Enrolment
from courses.services.cohort_status import cohorts_advance_status
from courses.tasks import cohorts_advance_status_task
from tests.courses.factories import ApplicationFactory, CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

Status = Cohort.Status
MONDAY = dt.date(2027, 3, 1)


def at(day: dt.date) -> time_machine.travel:
    """Travel to 09:00 London time on `day` (the sweep runs after midnight; any time of the day works)."""
    return time_machine.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))), tick=False)


def cohort(status: str = Status.OPEN, *, capacity: int = 2, days: int = 5) -> Cohort:
    return CohortFactory.create(
        status=status, capacity=capacity, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=days - 1)
    )


def status_of(c: Cohort) -> str:
    c.refresh_from_db()
    return c.status


def test_a_full_open_cohort_closes_then_runs_from_its_start_then_finishes_after_its_end() -> None:
    full = cohort(capacity=2)
    EnrolmentFactory.create(cohort=full)
    ApplicationFactory.create(cohort=full, status=Application.Status.OFFERED, offered_at=timezone.now())

    with at(MONDAY - dt.timedelta(days=7)):
        cohorts_advance_status()
    closed = status_of(full)
    with at(MONDAY):
        cohorts_advance_status()
    running = status_of(full)
    with at(MONDAY + dt.timedelta(days=4)):  # the last day: still running
        cohorts_advance_status()
    last_day = status_of(full)
    with at(MONDAY + dt.timedelta(days=5)):
        cohorts_advance_status()

    assert (closed, running, last_day, status_of(full)) == (
        Status.CLOSED,
        Status.RUNNING,
        Status.RUNNING,
        Status.FINISHED,
    )
    moves = list(AuditEntry.objects.filter(action="cohort.status_auto").order_by("pk").values_list("data", flat=True))
    assert [(m["from"], m["to"], m["reason"]) for m in moves] == [
        ("open", "closed", "full"),
        ("closed", "running", "started"),
        ("running", "finished", "ended"),
    ]


def test_an_open_cohort_with_seats_left_stays_open_until_it_starts() -> None:
    roomy = cohort(capacity=3)
    EnrolmentFactory.create(cohort=roomy)
    # Seats freed by a withdrawal or a declined offer do not count.
    EnrolmentFactory.create(cohort=roomy, status=Enrolment.Status.WITHDRAWN)
    ApplicationFactory.create(cohort=roomy, status=Application.Status.LEARNER_DECLINED)

    with at(MONDAY - dt.timedelta(days=1)):
        cohorts_advance_status()
    before = status_of(roomy)
    with at(MONDAY):
        cohorts_advance_status()

    assert (before, status_of(roomy)) == (Status.OPEN, Status.RUNNING)


def test_a_missed_run_catches_up_straight_to_finished() -> None:
    late = cohort(Status.OPEN)

    with at(MONDAY + dt.timedelta(days=30)):
        result = cohorts_advance_status()

    assert status_of(late) == Status.FINISHED
    assert result.moved["ended"] == [str(late.public_id)] and result.total == 1


def test_planned_cancelled_and_finished_cohorts_are_left_alone() -> None:
    planned, cancelled, finished = cohort(Status.PLANNED), cohort(Status.CANCELLED), cohort(Status.FINISHED)
    EnrolmentFactory.create_batch(2, cohort=planned)

    with at(MONDAY + dt.timedelta(days=30)):
        result = cohorts_advance_status()

    assert [status_of(c) for c in (planned, cancelled, finished)] == [Status.PLANNED, Status.CANCELLED, Status.FINISHED]
    assert result.total == 0


def test_running_it_again_the_same_day_moves_nothing_and_audits_nothing_more() -> None:
    full, starting = cohort(capacity=1), cohort()
    starting.start_date = starting.end_date = MONDAY - dt.timedelta(days=1)
    starting.save()
    EnrolmentFactory.create(cohort=full)

    with at(MONDAY - dt.timedelta(days=1)):
        first = cohorts_advance_status()
        second = cohorts_advance_status()

    assert first.total == 2 and second.total == 0
    assert AuditEntry.objects.filter(action="cohort.status_auto").count() == 2


def test_a_closed_cohort_is_not_reopened_when_a_seat_is_freed() -> None:
    closed = cohort(Status.CLOSED, capacity=2)

    with at(MONDAY - dt.timedelta(days=3)):
        assert cohorts_advance_status().total == 0

    assert status_of(closed) == Status.CLOSED


def test_the_daily_task_runs_the_sweep_and_beat_schedules_it() -> None:
    ended = cohort(Status.RUNNING)

    with at(MONDAY + dt.timedelta(days=6)):
        assert cohorts_advance_status_task.delay().get() == 1

    assert status_of(ended) == Status.FINISHED
    entry = settings.CELERY_BEAT_SCHEDULE["courses-cohorts-advance-status"]
    assert entry["task"] == "courses.tasks.cohorts_advance_status_task"
