"""Portable DBS reads: what a provider may see, and whom staff may share an outcome with."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from candidates.models import Consent, ConsentKind, DbsCheck, DbsShare
from candidates.selectors.dbs import shareable_outcome
from providers.models import Provider


def share_consent_granted() -> Subquery:
    """A DbsShare annotation: `granted` of the person's newest share-with-providers consent (NULL if never asked)."""
    newest = Consent.objects.filter(
        candidate=OuterRef("dbs_check__candidate"), kind=ConsentKind.SHARE_WITH_PROVIDERS
    ).order_by("-recorded_at", "-id")
    return Subquery(newest.values("granted")[:1])


def dbs_shared_with_provider(provider: Provider | None) -> QuerySet[DbsShare]:
    """Outcomes a provider's users may see now, newest share first.

    Only shares still active, of a shareable outcome (cleared, or suitable after a risk
    assessment), of a current record whose consent to sharing is in force today: the share alone
    is not enough, so a consent withdrawn by any route hides the outcome even before the share is
    stopped. Rows carry the check for its level, outcome and date only: never show its details.
    """
    if provider is None:
        return DbsShare.objects.none()
    return (
        DbsShare.objects.filter(
            shareable_outcome("dbs_check__"),
            provider=provider,
            revoked_at__isnull=True,
            dbs_check__candidate__merged_into__isnull=True,
            dbs_check__candidate__anonymised_at__isnull=True,
        )
        .annotate(consent_granted=share_consent_granted())
        .filter(consent_granted=True)
        .select_related("dbs_check__candidate")
        .order_by("-shared_at", "-pk")
    )


def dbs_share_providers(check: DbsCheck) -> QuerySet[Provider]:
    """Active providers the check's outcome is not shared with yet, by name (the share form's choices)."""
    shared = DbsShare.objects.filter(dbs_check=check, revoked_at__isnull=True).values("provider")
    return Provider.objects.filter(is_active=True).exclude(pk__in=shared).order_by("name")
