"""What job applications add to the home pages (through placements/home.py): the counts that need someone."""

from __future__ import annotations

from typing import Any

from academy.models import User
from placements.models import JobApplication
from placements.permissions import (
    can_view_interviews_due,
    can_view_own_job_applications,
    job_applications_visible_to,
)
from placements.selectors.job_applications import interviews_due_list, interviews_due_people

Status = JobApplication.Status


def job_applications_home_context(user: User) -> dict[str, Any]:
    """Learners: referrals waiting for their answer. Staff: people still owed a guaranteed interview past the
    due days. One query each. (The provider home, placements/home.py, shows applicants by status.)"""
    if can_view_own_job_applications(user):
        waiting = job_applications_visible_to(user).filter(status=Status.AWAITING_CONSENT).count()
        return {"job_applications_home": "learner", "job_referrals_waiting": waiting}
    if can_view_interviews_due(user):
        return {"job_applications_home": "staff", "interviews_due_people": interviews_due_people(interviews_due_list())}
    return {}
