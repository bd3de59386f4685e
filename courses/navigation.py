"""Header links offered by courses (discovered by academy.context_processors)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from academy.permissions import is_academy_staff
from candidates.permissions import is_learner


def nav_links(user: User) -> list[NavLink]:
    """The learner's courses and the course finder; for staff, the cohorts."""
    if is_learner(user):
        return [NavLink("My courses", "courses:my-enrolments", 200), NavLink("Find a course", "courses:finder", 300)]
    if is_academy_staff(user):
        return [NavLink("Cohorts", "courses:cohort-list", 500)]
    return []
