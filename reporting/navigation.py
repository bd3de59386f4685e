"""Header links of the reporting app (found by academy's context processor)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from reporting.permissions import can_view_reports


def nav_links(user: User) -> list[NavLink]:
    """Reports for managers and regional managers."""
    if can_view_reports(user):
        return [NavLink("Reports", "reporting:dashboard", 860)]
    return []
