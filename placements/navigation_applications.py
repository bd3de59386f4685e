"""Header links of the job applications area (gathered by placements/navigation.py)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from placements.permissions import (
    can_view_all_job_applications,
    can_view_own_job_applications,
    can_view_provider_applicants,
)


def nav_links(user: User) -> list[NavLink]:
    """Job applications: the learner's own, the provider's applicants, every application for staff."""
    if can_view_own_job_applications(user):
        return [NavLink("My job applications", "placements:my-job-applications", 260)]
    if can_view_provider_applicants(user):
        return [NavLink("Applicants", "placements:provider-application-list", 545)]
    if can_view_all_job_applications(user):
        return [NavLink("Job applications", "placements:job-application-list", 545)]
    return []
