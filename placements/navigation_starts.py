"""Header links of the interviews and starts area (gathered by placements/navigation.py)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from placements.permissions import is_staff_or_provider


def nav_links(user: User) -> list[NavLink]:
    """Interviews and starters, for staff and provider users."""
    if is_staff_or_provider(user):
        return [
            NavLink("Interviews", "placements:interview-list", 620),
            NavLink("Starts", "placements:job-start-list", 640),
        ]
    return []
