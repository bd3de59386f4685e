"""Receivers of model signals, each a thin call to one service (connected in apps.py).

courses cannot import placements (apps depend one way), so placements listens for the enrolment status
change that courses writes when a learner completes, and records the guaranteed interview.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatusChange
from placements.models import JobStart
from placements.services.job_applications import interview_due_create
from placements.services.outcomes import outcome_from_job_start


def outcome_on_job_start_saved(sender: type[JobStart], instance: JobStart, created: bool, **kwargs: Any) -> None:
    """A confirmed job start has an outcome, whichever code created the start (idempotent by the OneToOne)."""
    if created and not kwargs.get("raw"):
        outcome_from_job_start(instance)


def interview_due_on_completion(sender: Any, instance: EnrolmentStatusChange, created: bool, **kwargs: Any) -> None:
    """A completed enrolment on a course that promises an interview owes one (idempotent: one per enrolment)."""
    if not created or kwargs.get("raw") or instance.to_status != Enrolment.Status.COMPLETED:
        return
    interview_due_create(enrolment=instance.enrolment, due_since=timezone.localdate(instance.changed_at))
