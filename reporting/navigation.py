"""Header links of the reporting app (found by academy's context processor)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from reporting.impact.permissions import can_view_impact_reports


def nav_links(user: User) -> list[NavLink]:
    """Impact reports for managers and regional managers."""
    if can_view_impact_reports(user):
        return [NavLink("Impact reports", "reporting:impact-report-list", 865)]
    return []
