"""Header links offered by providers (discovered by academy.context_processors)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from academy.permissions import is_academy_staff


def nav_links(user: User) -> list[NavLink]:
    """The provider list, for academy staff."""
    return [NavLink("Providers", "providers:provider-list", 800)] if is_academy_staff(user) else []
