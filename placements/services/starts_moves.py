"""The status moves the interviews, offers and starts services make: calls to the job applications area's
shared services (`placements.services.job_applications.job_application_move` and `interview_due_meet`),
which check the move against their table of allowed moves and write the history row and the audit entry in
the caller's transaction. Places are the vacancies area's (`placements.services.vacancies.vacancy_fill_place`,
`vacancy_mark_filled`).
"""

from __future__ import annotations

import datetime as dt

from academy.models import User
from candidates.models import Candidate
from placements.models import Interview, JobApplication
from placements.services import job_applications


def application_move(
    application: JobApplication,
    to_status: str,
    *,
    actor: User | None,
    reason: str = "",
    not_progressed_reason: str = "",
    at: dt.datetime | None = None,
) -> JobApplication:
    """Move `application` to `to_status` (no email: callers send theirs, with their details)."""
    return job_applications.job_application_move(
        application,
        to_status,
        actor=actor,
        reason=reason,
        not_progressed_reason=not_progressed_reason,
        at=at,
        notify=False,
    )


def interview_due_meet(candidate: Candidate, interview: Interview) -> int:
    """Mark the person's oldest owed guaranteed interview as met by `interview`; returns how many (0 or 1)."""
    return 0 if job_applications.interview_due_meet(candidate, interview) is None else 1
