"""Header links offered by providers (discovered by academy.context_processors)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from academy.permissions import is_academy_staff


def nav_links(user: User) -> list[NavLink]:
    """The provider list and provider engagement for academy staff; the quarterly survey for provider users."""
    if is_academy_staff(user):
        return [
            NavLink("Providers", "providers:provider-list", 800),
            NavLink("Engagement", "providers:engagement-list", 810),
        ]
    # The role alone (no query per page): the survey page itself checks the provider membership.
    if user.is_authenticated and user.is_active and user.is_provider_user:
        return [NavLink("Quarterly survey", "providers:survey-answer", 850)]
    return []
