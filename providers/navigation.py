"""Header links offered by providers (discovered by academy.context_processors)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from academy.permissions import is_academy_staff
from providers.permissions import can_answer_survey


def nav_links(user: User) -> list[NavLink]:
    """The provider list and provider engagement for academy staff; the quarterly survey for provider users."""
    if is_academy_staff(user):
        return [
            NavLink("Providers", "providers:provider-list", 800),
            NavLink("Engagement", "providers:engagement-list", 810),
        ]
    if can_answer_survey(user):
        return [NavLink("Quarterly survey", "providers:survey-answer", 850)]
    return []
