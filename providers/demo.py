"""Providers' part of `seed_demo`: the demo care providers and the people who act for them.

The providers and their sign-ins are listed in academy.demo.DEMO_PROVIDERS (`demo_logins` prints
them). Idempotent: providers are keyed by name, users by email.
"""

from __future__ import annotations

from datetime import datetime

from academy import demo
from academy.models import Role
from providers.models import Provider, ProviderMembership


def seed_demo(*, now: datetime) -> str:
    """Create or update the demo providers and their users' memberships, with two-factor set up."""
    for spec in demo.DEMO_PROVIDERS:
        fields = {k: v for k, v in spec.items() if k not in ("name", "users")}
        provider, _ = Provider.objects.update_or_create(name=spec["name"], defaults=fields)
        for email, name in spec["users"]:
            user = demo.demo_with_totp(demo.demo_user(email, name, Role.PROVIDER))
            ProviderMembership.objects.update_or_create(user=user, defaults={"provider": provider})
    return f"{Provider.objects.count()} providers"
