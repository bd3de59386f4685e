"""Providers' part of `seed_demo`: the demo care providers and the people who act for them.

The providers and their sign-ins are listed in academy.demo.DEMO_PROVIDERS (`demo_logins` prints
them); the details the academy keeps about each (CQC registration, size, main contact, agreement)
are in DETAILS below, and the first user of each provider is its provider admin. Idempotent:
providers are keyed by name, users by email. Dates are relative to `now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from academy import demo
from academy.models import Academy, Role
from providers.demo_engagement import seed_engagement
from providers.models import Provider, ProviderMembership

# CQC location IDs in the real format (1- then digits); these numbers are made up.
DETAILS: dict[str, dict[str, Any]] = {
    "Riverside Home Care": {
        "cqc_location_id": "1-118392047",
        "cqc_rating": Provider.CqcRating.GOOD,
        "cqc_service_types": "Homecare agencies",
        "size_band": Provider.SizeBand.MEDIUM,
        "contact_name": "Helen Brooks",
        "contact_phone": "0113 496 0123",
        "agreement_status": Provider.Agreement.SIGNED,
        "signed_days_ago": 200,
        "notes": "Guarantees an interview to every completer of the two-week course.",
    },
    "Oakwood Nursing Home": {
        "cqc_location_id": "1-2045517763",
        "cqc_rating": Provider.CqcRating.REQUIRES_IMPROVEMENT,
        "cqc_service_types": "Nursing homes | Residential homes",
        "size_band": Provider.SizeBand.SMALL,
        "contact_name": "Grace Mensah",
        "contact_phone": "01632 960456",
        "agreement_status": Provider.Agreement.IN_DISCUSSION,
        "notes": "Wants placements for night shifts; talking to their area manager about the agreement.",
    },
}


SHARED_PROVIDER = "Riverside Home Care"


def seed_demo(*, now: datetime) -> str:
    """Create or update the demo providers, their details and users' memberships (first user: provider admin)."""
    today = timezone.localdate(now)
    admins = 0
    for spec in demo.DEMO_PROVIDERS:
        fields = {k: v for k, v in spec.items() if k not in ("name", "users")}
        details = dict(DETAILS.get(str(spec["name"]), {}))
        signed_days_ago = details.pop("signed_days_ago", None)
        details["agreement_signed_on"] = today - timedelta(days=signed_days_ago) if signed_days_ago else None
        provider, _ = Provider.objects.update_or_create(name=spec["name"], defaults={**fields, **details})
        # Riverside works with both academies of the region; Oakwood only with the city's.
        shared = spec["name"] == SHARED_PROVIDER
        provider.academies.set(Academy.objects.filter(slug__in=["academy", "fylde-coast"] if shared else ["academy"]))
        for index, (email, name) in enumerate(spec["users"]):
            user = demo.demo_with_totp(demo.demo_user(email, name, Role.PROVIDER))
            ProviderMembership.objects.update_or_create(
                user=user, defaults={"provider": provider, "is_admin": index == 0}
            )
            admins += index == 0
    engagement = seed_engagement(today=today)
    return f"{Provider.objects.count()} providers, {admins} provider admins, {engagement}"
