"""Header links of work placements and readiness feedback (gathered by placements/navigation.py)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from placements.permissions import can_list_work_placements, is_provider_user


def nav_links(user: User) -> list[NavLink]:
    """Staff and provider users: the placements; provider users also the feedback they are asked for."""
    links = []
    if can_list_work_placements(user):
        links.append(NavLink("Placements", "placements:work-placement-list", 550))
    if is_provider_user(user):
        links.append(NavLink("Feedback due", "placements:feedback-due-list", 560))
    return links
