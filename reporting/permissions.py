"""Who may see reporting: managers and regional managers see the figures; staff see the people behind them."""

from __future__ import annotations

from django.db.models import Model

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from academy.tenancy import access_of


def can_view_reports(user: User, obj: Model | None = None) -> bool:
    """Managers, and staff who view a region (regional managers): the dashboard and the figures' CSV."""
    if is_manager(user):
        return True
    # A regional view shows as academies they may read but not change (kept in the session: no query).
    return is_academy_staff(user) and any(not choice.writable for choice in access_of(user).choices)


def can_view_figure_people(user: User, obj: Model | None = None) -> bool:
    """The people behind a figure: academy staff and managers (the staff candidate scope applies)."""
    return is_academy_staff(user)
