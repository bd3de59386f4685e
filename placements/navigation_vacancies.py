"""Header links of the vacancies area (gathered by placements/navigation.py): a provider's own vacancies, and
every provider's for academy staff (the approval queue is reached from there and from the home page)."""

from __future__ import annotations

from academy.models import User
from academy.navigation import NavLink
from academy.permissions import is_academy_staff
from placements.permissions import is_provider_user


def nav_links(user: User) -> list[NavLink]:
    if is_academy_staff(user):
        return [NavLink("Vacancies", "placements:vacancy-list", 540)]
    if is_provider_user(user):  # no query: the vacancy pages check the membership
        return [NavLink("Vacancies", "placements:provider-vacancy-list", 540)]
    return []
