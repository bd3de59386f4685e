"""Who may see and change care providers."""

from __future__ import annotations

from django.db.models import QuerySet

from academy.models import User
from academy.permissions import is_academy_staff, is_manager
from providers.models import Provider


def providers_visible_to(user: User) -> QuerySet[Provider]:
    """Academy staff see every provider; a provider user sees only their own."""
    if is_academy_staff(user):
        return Provider.objects.all()
    if user.is_authenticated and user.is_provider_user:
        return Provider.objects.filter(memberships__user=user)
    return Provider.objects.none()


def can_list_providers(user: User, obj: Provider | None = None) -> bool:
    """The provider directory is for academy staff."""
    return is_academy_staff(user)


def can_view_provider(user: User, obj: Provider | None = None) -> bool:
    """Anyone who can see the provider (scoping decides) may open its page."""
    return bool(user.is_authenticated and user.is_active)


def can_manage_providers(user: User, obj: Provider | None = None) -> bool:
    """Managers add and edit providers."""
    return is_manager(user)
