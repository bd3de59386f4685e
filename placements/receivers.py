"""Signal receivers of placements, connected in PlacementsConfig.ready().

courses cannot import placements (apps depend one way), so placements listens for the enrolment
status change that courses writes when a learner completes, and records the guaranteed interview.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatusChange
from placements.services.job_applications import interview_due_create


def interview_due_on_completion(sender: Any, instance: EnrolmentStatusChange, created: bool, **kwargs: Any) -> None:
    """A completed enrolment on a course that promises an interview owes one (idempotent: one per enrolment)."""
    if not created or instance.to_status != Enrolment.Status.COMPLETED:
        return
    interview_due_create(enrolment=instance.enrolment, due_since=timezone.localdate(instance.changed_at))
