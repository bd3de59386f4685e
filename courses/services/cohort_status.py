"""Moving cohorts along by date and capacity each day, as staff would expect to see them.

Rules, checked every day by a beat task (courses.tasks.cohorts_advance_status_task):
- an open cohort whose seats are all taken is closed for applications (there is no "full" status:
  "closed for applications" is what a full cohort is). It is not reopened by itself if a seat is
  freed later: the waiting list is offered the seat (courses.services.applications), and staff
  can reopen it;
- an open or closed cohort is running from its start date;
- a running (or open or closed) cohort is finished the day after its end date.
Planned and cancelled cohorts are left alone: nobody has a place on them to move.

Each cohort is moved in its own transaction under a lock on its row (taken first, as every service
that counts seats does), after re-reading its status, seats and dates; so a second run, a retry or
a staff edit at the same moment never moves a cohort twice or backwards. One audit entry per move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from academy.audit import audit_log
from courses.models import Cohort
from courses.selectors.applications import cohort_seats_taken, seats_taken_expression

Status = Cohort.Status

# Why each automatic move happens, as the audit entry records it.
FULL, STARTED, ENDED = "full", "started", "ended"


@dataclass
class CohortsAdvanced:
    """The cohorts moved by one run, by public id, per reason."""

    moved: dict[str, list[str]] = field(default_factory=lambda: {FULL: [], STARTED: [], ENDED: []})

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.moved.values())


def cohort_next_status(*, status: str, start: dt.date, end: dt.date, full: bool, today: dt.date) -> tuple[str, str]:
    """(the status a cohort should have today, why) by its dates and seats; ("", "") when it stays as it is."""
    if status not in (Status.OPEN, Status.CLOSED, Status.RUNNING):
        return "", ""
    if end < today:
        return Status.FINISHED, ENDED
    if status in (Status.OPEN, Status.CLOSED) and start <= today:
        return Status.RUNNING, STARTED
    if status == Status.OPEN and full:
        return Status.CLOSED, FULL
    return "", ""


def _due(today: dt.date) -> list[int]:
    """Ids of cohorts that may need moving today, in one query (seats counted in SQL)."""
    return list(
        Cohort.objects.annotate(seats_taken=seats_taken_expression())
        .filter(
            Q(status__in=[Status.OPEN, Status.CLOSED, Status.RUNNING], end_date__lt=today)
            | Q(status__in=[Status.OPEN, Status.CLOSED], start_date__lte=today)
            | Q(status=Status.OPEN, seats_taken__gte=F("capacity"))
        )
        .order_by("start_date", "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def _cohort_advance(cohort_id: int, *, today: dt.date) -> tuple[Cohort, str] | None:
    cohort = Cohort.objects.select_for_update().get(pk=cohort_id)
    full = cohort.status == Status.OPEN and cohort_seats_taken(cohort) >= cohort.capacity
    status, reason = cohort_next_status(
        status=cohort.status, start=cohort.start_date, end=cohort.end_date, full=full, today=today
    )
    if not status:
        return None
    previous = cohort.status
    cohort.status = status
    cohort.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=None,
        action="cohort.status_auto",
        obj=cohort,
        data={"from": previous, "to": status, "reason": reason, "on": today.isoformat()},
    )
    return cohort, reason


def cohorts_advance_status(*, today: dt.date | None = None) -> CohortsAdvanced:
    """Move every cohort due a change today (see the module docstring); idempotent, one audit entry per move."""
    today = today or timezone.localdate()
    result = CohortsAdvanced()
    for cohort_id in _due(today):
        moved = _cohort_advance(cohort_id, today=today)
        if moved is not None:
            cohort, reason = moved
            result.moved[reason].append(str(cohort.public_id))
    return result
