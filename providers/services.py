"""Workflows for care providers."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from academy.audit import audit_log
from academy.models import User
from providers.models import Provider


@transaction.atomic
def provider_save(*, provider: Provider, actor: User, changed: list[str] | None = None) -> Provider:
    """Create or update a provider from a validated form instance and record who did it."""
    created = provider._state.adding
    provider.save()
    data: dict[str, Any] = {"changed": changed or []}
    audit_log(actor=actor, action="provider.create" if created else "provider.update", obj=provider, data=data)
    return provider
