"""Header link of the learner's job alerts (gathered by placements/navigation.py)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from placements.permissions import is_learner_user


def nav_links(user: User) -> list[NavLink]:
    return [NavLink("Job alerts", "placements:job-alert-list", 270)] if is_learner_user(user) else []
