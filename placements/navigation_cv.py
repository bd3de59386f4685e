"""Header link of the learner's CV (gathered by placements/navigation.py)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from placements.permissions import can_edit_own_cv


def nav_links(user: User) -> list[NavLink]:
    return [NavLink("My CV", "placements:cv-detail", 250)] if can_edit_own_cv(user) else []
