"""The status moves and place-taking the interviews, offers and starts services make, in one place.

Stand-ins for the shared services of the job applications area
(`placements.services.job_applications.job_application_move` and `interview_due_meet`): when those
are merged, each function here becomes a call to its shared twin and nothing else in this area changes.
Each writes the status history row and the audit entry in the caller's transaction. Places are the
vacancies area's (`placements.services.vacancies.vacancy_fill_place`, `vacancy_mark_filled`).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate
from placements.models import Interview, InterviewDue, JobApplication, JobApplicationStatusChange


def application_move(
    application: JobApplication,
    to_status: str,
    *,
    actor: User | None,
    reason: str = "",
    not_progressed_reason: str = "",
    at: dt.datetime | None = None,
) -> JobApplication:
    """Move `application` to `to_status` with its history row and audit entry (no email: callers send theirs)."""
    at = at or timezone.now()
    previous = application.status
    application.status = to_status
    application.not_progressed_reason = (
        not_progressed_reason if to_status == JobApplication.Status.NOT_PROGRESSED else ""
    )
    application.status_reason = reason
    application.save(update_fields=["status", "not_progressed_reason", "status_reason", "updated_at"])
    JobApplicationStatusChange.objects.create(
        application=application,
        from_status=previous,
        to_status=to_status,
        reason=reason
        or (JobApplication.NotProgressedReason(not_progressed_reason).label if not_progressed_reason else ""),
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changed_at=at,
    )
    audit_log(
        actor=actor,
        action=f"job_application.{to_status}",
        obj=application,
        data={"from": previous, "reason": reason, "not_progressed_reason": not_progressed_reason},
    )
    return application


def interview_due_meet(candidate: Candidate, interview: Interview) -> int:
    """Mark the person's owed guaranteed interviews as met by `interview`; returns how many."""
    return InterviewDue.objects.filter(candidate=candidate, met_at__isnull=True).update(
        met_by=interview, met_at=timezone.now()
    )
