"""What the provider screens read."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from providers.models import Provider, ProviderMembership


def provider_list(*, providers: QuerySet[Provider], search: str = "", kind: str = "") -> QuerySet[Provider]:
    """Providers with their number of active users, searchable by name or postcode."""
    qs = providers.annotate(user_count=Count("memberships", filter=Q(memberships__user__is_active=True)))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(postcode__icontains=search))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def provider_members(provider: Provider) -> QuerySet[ProviderMembership]:
    """The provider's users, for its detail page."""
    return provider.memberships.select_related("user").order_by("user__email")
