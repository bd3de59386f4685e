"""Header links offered by placements (discovered by academy.context_processors), one module per area."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from placements import navigation_applications, navigation_starts


def nav_links(user: User) -> list[NavLink]:
    return [*navigation_applications.nav_links(user), *navigation_starts.nav_links(user)]
