"""Status history for the demo's applications and enrolments, which the demo creates directly.

Derived from each row's own dates (created, offered, answered, ended), so the record page's
timeline tells the same story as the statuses. Rows that already have history are skipped.
"""

from __future__ import annotations

import datetime as dt

from academy.models import User
from courses.models import Application, ApplicationStatusChange, Enrolment, EnrolmentStatusChange

Status = Application.Status
# Statuses reached through an offer, and who made the last step (the learner, or nobody: expiry).
AFTER_OFFER = (Status.ACCEPTED, Status.LEARNER_DECLINED, Status.OFFER_EXPIRED)
LEARNER_STEPS = (Status.ACCEPTED, Status.LEARNER_DECLINED, Status.WITHDRAWN)


def _application_steps(application: Application) -> list[ApplicationStatusChange]:
    staff: User | None = application.decided_by
    learner: User | None = application.candidate.user
    applied = application.created_at
    status = application.status
    steps: list[tuple[str, dt.datetime, User | None, str]] = [(Status.SUBMITTED, applied, learner, "")]
    if status in AFTER_OFFER or status == Status.OFFERED:
        steps.append((Status.OFFERED, application.offered_at or applied, staff, ""))
    if status not in (Status.SUBMITTED, Status.OFFERED):
        at = application.waiting_since if status == Status.WAITING_LIST else application.responded_at
        by = learner if status in LEARNER_STEPS else None if status == Status.OFFER_EXPIRED else staff
        steps.append((status, at or applied + dt.timedelta(days=1), by, application.decision_reason))
    previous = ""
    rows = []
    for to_status, at, by, reason in steps:
        rows.append(
            ApplicationStatusChange(
                application=application,
                from_status=previous,
                to_status=to_status,
                changed_at=at,
                changed_by=by,
                reason=reason,
            )
        )
        previous = to_status
    return rows


def _enrolment_steps(enrolment: Enrolment) -> list[EnrolmentStatusChange]:
    rows = [
        EnrolmentStatusChange(enrolment=enrolment, to_status=Enrolment.Status.ENROLLED, changed_at=enrolment.created_at)
    ]
    if enrolment.status != Enrolment.Status.ENROLLED:
        rows.append(
            EnrolmentStatusChange(
                enrolment=enrolment,
                from_status=Enrolment.Status.ENROLLED,
                to_status=enrolment.status,
                reason=enrolment.status_reason,
                changed_at=enrolment.ended_at or enrolment.updated_at,
            )
        )
    return rows


def seed_status_history() -> int:
    """Give every demo application and enrolment without history its steps; returns the rows created."""
    applications = Application.objects.filter(status_changes__isnull=True).select_related(
        "candidate__user", "decided_by"
    )
    enrolments = Enrolment.objects.filter(status_changes__isnull=True)
    rows_a = [row for application in applications for row in _application_steps(application)]
    rows_e = [row for enrolment in enrolments for row in _enrolment_steps(enrolment)]
    ApplicationStatusChange.objects.bulk_create(rows_a)
    EnrolmentStatusChange.objects.bulk_create(rows_e)
    return len(rows_a) + len(rows_e)
