"""Header links offered by candidates (discovered by academy.context_processors)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from academy.permissions import is_academy_staff
from candidates.permissions import is_learner


def nav_links(user: User) -> list[NavLink]:
    """The learner's profile; for staff, the candidate list, DBS, selection events and outreach events."""
    if is_learner(user):
        return [NavLink("My profile", "candidates:profile", 100)]
    if is_academy_staff(user):
        return [
            NavLink("Candidates", "candidates:candidate-list", 400),
            NavLink("DBS", "candidates:dbs-dashboard", 600),
            NavLink("Selection events", "candidates:selection-list", 700),
            NavLink("Outreach events", "candidates:outreach-list", 710),
        ]
    return []
