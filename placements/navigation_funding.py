"""Header links of the funding area (gathered by placements/navigation.py)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from placements.permissions import can_view_funding_streams


def nav_links(user: User) -> list[NavLink]:
    """Funding streams for academy staff and managers."""
    if can_view_funding_streams(user):
        return [NavLink("Funding", "placements:stream-list", 850)]
    return []
