"""Who may see reporting: managers and regional managers see the figures; staff see the people behind them."""

from __future__ import annotations

from django.db.models import Model

from academy.models import RegionalViewer, User
from academy.permissions import is_academy_staff, is_manager


def can_view_reports(user: User, obj: Model | None = None) -> bool:
    """Managers, and staff who view a region (regional managers): the dashboard and the figures' CSV."""
    if is_manager(user):
        return True
    return is_academy_staff(user) and RegionalViewer.objects.filter(user=user).exists()


def can_view_figure_people(user: User, obj: Model | None = None) -> bool:
    """The people behind a figure: academy staff and managers (the staff candidate scope applies)."""
    return is_academy_staff(user)
