"""Staff plan cohorts (runs of a course) and their sessions.

Rules checked here, each reported on the field to fix:
- a cohort ends on or after the day it starts, and every session falls within those dates;
- its capacity never drops below the seats already taken (offers and places);
- its status fits its dates: it cannot be open for applications once it has started, running before
  it starts, or finished before it ends;
- its course can change only while nobody has applied or enrolled (their answers belong to the course);
- a session ends after it starts and does not overlap another session of the cohort;
- a session with attendance marks, and a cohort with applications, enrolments or payments, is never
  deleted: cancelling keeps the history.
Services that change a cohort or its sessions lock the cohort row first, as the applications services do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from courses.models import Application, Cohort, Course, Enrolment, Session
from courses.selectors.applications import cohort_seats_taken
from courses.selectors.catalogue import cohort_dependants

COHORT_FIELDS = (
    "course",
    "name",
    "start_date",
    "end_date",
    "capacity",
    "venue",
    "town",
    "partner",
    "funding_stream",
    "status",
)
SESSION_FIELDS = ("date", "start_time", "end_time", "venue", "online_link", "tutor", "topic")


def _day(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _pick(values: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: values[name] for name in fields if name in values}


def _lock(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)


# --- cohorts -----------------------------------------------------------------------------------


def cohort_status_problem(status: str, start: dt.date, end: dt.date, today: dt.date) -> str:
    """Why a cohort with these dates cannot have `status` today (a sentence), or "" if it can."""
    if status == Cohort.Status.OPEN and start < today:
        return (
            f"A cohort that started on {_day(start)} cannot be open for applications: "
            "applications close when it starts. Choose closed or running"
        )
    if status == Cohort.Status.RUNNING and start > today:
        return f"The cohort cannot be running before it starts on {_day(start)}"
    if status == Cohort.Status.FINISHED and end > today:
        return f"The cohort cannot be finished before its end date, {_day(end)}"
    return ""


def _cohort_errors(data: dict[str, Any], *, cohort: Cohort | None, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    start, end, course = data["start_date"], data["end_date"], data["course"]
    if end < start:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if course.status == Course.Status.ARCHIVED and (cohort is None or cohort.course_id != course.pk):
        errors["course"] = f"{course.title} is archived: choose a course that is still offered"
    same_name = Cohort.objects.filter(course=course, name__iexact=data["name"])
    if cohort is not None:
        same_name = same_name.exclude(pk=cohort.pk)
    if same_name.exists():
        errors["name"] = f"{course.title} already has a cohort called {data['name']}: choose another name"
    # An unchanged status is not re-checked: an open cohort whose start date has passed can still be edited.
    status_or_dates_changed = cohort is None or any(
        getattr(cohort, name) != data[name] for name in ("status", "start_date", "end_date")
    )
    if status_or_dates_changed and "end_date" not in errors:
        problem = cohort_status_problem(data["status"], start, end, today)
        if problem:
            errors["status"] = problem
    return errors


@transaction.atomic
def cohort_create(*, actor: User, values: Mapping[str, Any]) -> Cohort:
    """Plan a cohort of a course (COHORT_FIELDS); see the module docstring for the rules."""
    data = _pick(values, COHORT_FIELDS)
    data["name"] = str(data["name"]).strip()
    errors = _cohort_errors(data, cohort=None, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    cohort = Cohort.objects.create(**data)
    audit_log(
        actor=actor,
        action="cohort.create",
        obj=cohort,
        data={"course": str(cohort.course.public_id), "status": cohort.status},
    )
    return cohort


def _sessions_outside(cohort: Cohort, start: dt.date, end: dt.date) -> list[Session]:
    return list(cohort.sessions.exclude(date__range=(start, end)).order_by("date", "start_time"))


@transaction.atomic
def cohort_update(*, cohort: Cohort, actor: User, values: Mapping[str, Any]) -> Cohort:
    """Change a cohort's details, dates, capacity or status; see the module docstring for the rules."""
    cohort = _lock(cohort)
    data = {**{name: getattr(cohort, name) for name in COHORT_FIELDS}, **_pick(values, COHORT_FIELDS)}
    data["name"] = str(data["name"]).strip()
    errors = _cohort_errors(data, cohort=cohort, today=timezone.localdate())
    if data["course"].pk != cohort.course_id and (
        Application.objects.filter(cohort=cohort).exists() or Enrolment.objects.filter(cohort=cohort).exists()
    ):
        errors["course"] = (
            "The course cannot change once people have applied or enrolled: their answers and places "
            "belong to this course. Plan a new cohort instead"
        )
    if data["capacity"] < cohort.capacity:
        taken = cohort_seats_taken(cohort)
        if data["capacity"] < taken:
            places = "1 place is" if taken == 1 else f"{taken} places are"
            errors["capacity"] = f"{places} already offered or taken: the capacity must be {taken} or more"
    if "end_date" not in errors:
        outside = _sessions_outside(cohort, data["start_date"], data["end_date"])
        if outside:
            count = "1 session falls" if len(outside) == 1 else f"{len(outside)} sessions fall"
            errors.setdefault(
                "start_date" if outside[0].date < data["start_date"] else "end_date",
                f"{count} outside the new dates (the first on {_day(outside[0].date)}): "
                "move or delete them before changing the dates",
            )
    if errors:
        raise ValidationError(errors)
    changed = [name for name in COHORT_FIELDS if getattr(cohort, name) != data[name]]
    for name in changed:
        setattr(cohort, name, data[name])
    if changed:
        cohort.save(update_fields=[*changed, "updated_at"])
        audit_data: dict[str, Any] = {"changed": changed}
        if "status" in changed:
            audit_data["status"] = cohort.status
        audit_log(actor=actor, action="cohort.update", obj=cohort, data=audit_data)
    return cohort


def cohort_delete_problem(cohort: Cohort) -> str:
    """Why `cohort` cannot be deleted (a sentence for staff), or "" if it can."""
    counts = cohort_dependants(cohort)
    parts = [
        f"{n} {noun if n == 1 else noun + 's'}"
        for noun, n in (
            ("application", counts["applications"]),
            ("enrolment", counts["enrolments"]),
            ("support payment", counts["payments"]),
        )
        if n
    ]
    if not parts:
        return ""
    return (
        f"{cohort.name} has {' and '.join(parts)}, so it cannot be deleted. "
        "Cancel it instead (edit it and choose Cancelled): its history is kept."
    )


@transaction.atomic
def cohort_delete(*, cohort: Cohort, actor: User) -> None:
    """Delete a cohort added by mistake, with its sessions; refused once anyone applied, enrolled or was paid."""
    cohort = _lock(cohort)
    problem = cohort_delete_problem(cohort)
    if problem:
        raise ValidationError(problem)
    audit_log(
        actor=actor,
        action="cohort.delete",
        obj=cohort,
        data={"name": cohort.name, "course": str(cohort.course.public_id)},
    )
    cohort.delete()


# --- sessions ----------------------------------------------------------------------------------


def _session_errors(
    cohort: Cohort, *, date: dt.date, start: dt.time, end: dt.time, exclude: Session | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not cohort.start_date <= date <= cohort.end_date:
        errors["date"] = (
            f"The date must be within the cohort's dates, {_day(cohort.start_date)} to {_day(cohort.end_date)}"
        )
    if end <= start:
        errors["end_time"] = "The end time must be after the start time"
        return errors
    clashes = cohort.sessions.filter(date=date, start_time__lt=end, end_time__gt=start)
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude.pk)
    clash = clashes.order_by("start_time").first()
    if clash is not None:
        errors["start_time"] = (
            f"Another session of this cohort runs from {clash.start_time:%H:%M} to {clash.end_time:%H:%M} "
            f"on {_day(date)}: choose times that do not overlap"
        )
    return errors


def _series(first: dt.date, until: dt.date, weekdays: Collection[int]) -> list[dt.date]:
    """`first`, then every later date up to `until` whose weekday (Monday 0) is in `weekdays`."""
    dates = [first]
    day = first + dt.timedelta(days=1)
    while day <= until:
        if day.weekday() in weekdays:
            dates.append(day)
        day += dt.timedelta(days=1)
    return dates


@transaction.atomic
def session_create(
    *, cohort: Cohort, actor: User, values: Mapping[str, Any], repeat_weekdays: Collection[int] = ()
) -> list[Session]:
    """Add a session (SESSION_FIELDS) and, with `repeat_weekdays`, one on each such weekday until the cohort ends.

    All or nothing: if any of the sessions would break a rule, none is added and the error names its date.
    """
    cohort = _lock(cohort)
    data = _pick(values, SESSION_FIELDS)
    dates = _series(data["date"], cohort.end_date, repeat_weekdays) if repeat_weekdays else [data["date"]]
    sessions = []
    for date in dates:
        errors = _session_errors(cohort, date=date, start=data["start_time"], end=data["end_time"])
        if errors:
            if date != data["date"]:
                errors = {"repeat_weekdays": f"Not added: on {_day(date)}: {next(iter(errors.values()))}"}
            raise ValidationError(errors)
        sessions.append(Session.objects.create(cohort=cohort, **{**data, "date": date}))
    audit_log(
        actor=actor,
        action="session.create",
        obj=cohort,
        data={"sessions": [str(s.public_id) for s in sessions], "dates": [s.date.isoformat() for s in sessions]},
    )
    return sessions


@transaction.atomic
def session_update(*, session: Session, actor: User, values: Mapping[str, Any]) -> Session:
    """Move or change a session; it stays within its cohort's dates and does not overlap another one."""
    cohort = _lock(session.cohort)
    session = Session.objects.get(pk=session.pk)
    data = {**{name: getattr(session, name) for name in SESSION_FIELDS}, **_pick(values, SESSION_FIELDS)}
    errors = _session_errors(cohort, date=data["date"], start=data["start_time"], end=data["end_time"], exclude=session)
    if errors:
        raise ValidationError(errors)
    changed = [name for name in SESSION_FIELDS if getattr(session, name) != data[name]]
    for name in changed:
        setattr(session, name, data[name])
    if changed:
        session.save(update_fields=changed)
        audit_log(
            actor=actor,
            action="session.update",
            obj=cohort,
            data={"session": str(session.public_id), "changed": changed},
        )
    return session


def session_delete_problem(session: Session) -> str:
    """Why `session` cannot be deleted, or "" if it can."""
    if session.attendance.exists():
        return (
            "Attendance has been taken for this session, so it cannot be deleted: "
            "the marks count towards learners' attendance."
        )
    return ""


@transaction.atomic
def session_delete(*, session: Session, actor: User) -> None:
    """Delete a session with no attendance marks (marks count towards learners' attendance)."""
    cohort = _lock(session.cohort)
    problem = session_delete_problem(session)
    if problem:
        raise ValidationError(problem)
    audit_log(
        actor=actor,
        action="session.delete",
        obj=cohort,
        data={"session": str(session.public_id), "date": session.date.isoformat()},
    )
    session.delete()
