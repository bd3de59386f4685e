"""What the provider screens read."""

from __future__ import annotations

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from academy.models import AuditEntry, Invitation
from academy.validators import uk_postcode
from providers.forms import normalise_cqc_location_id
from providers.models import Provider, ProviderMembership


def provider_list(
    *, providers: QuerySet[Provider], search: str = "", kind: str = "", agreement: str = ""
) -> QuerySet[Provider]:
    """Providers with their number of active users, searchable by name, postcode or CQC location ID.

    One query for the page, whatever the number of rows (the user count is an annotation).
    """
    qs = providers.annotate(user_count=Count("memberships", filter=Q(memberships__user__is_active=True)))
    search = search.strip()
    if search:
        condition = (
            Q(name__icontains=search)
            | Q(postcode__icontains=search)
            | Q(cqc_location_id__iexact=normalise_cqc_location_id(search))
        )
        with suppress(ValidationError):  # "ls98ab" finds LS9 8AB
            condition |= Q(postcode=uk_postcode(search))
        qs = qs.filter(condition)
    if kind:
        qs = qs.filter(kind=kind)
    if agreement:
        qs = qs.filter(agreement_status=agreement)
    return qs.order_by("name")


def provider_members(provider: Provider) -> QuerySet[ProviderMembership]:
    """The provider's users, for its detail page and the colleagues page."""
    return provider.memberships.select_related("user").order_by("-is_admin", "user__full_name", "user__email")


def provider_pending_invitations(provider: Provider) -> QuerySet[Invitation]:
    """Invitations to this provider still waiting to be accepted, newest first."""
    return (
        Invitation.objects.pending(timezone.now())
        .filter(provider_invitation__provider=provider)
        .select_related("invited_by", "provider_invitation")
        .order_by("-created_at")
    )


def provider_imports_recent(limit: int = 5) -> list[AuditEntry]:
    """The latest CQC imports (done or refused), from the audit log, newest first: one query."""
    return list(
        AuditEntry.objects.filter(action__in=["provider_import.commit", "provider_import.refuse"]).order_by(
            "-created_at", "-id"
        )[:limit]
    )
