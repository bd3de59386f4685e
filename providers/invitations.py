"""The provider side of invitations, discovered by academy's invitation form and services.

A provider user is invited for one provider: the form asks which, the invitation remembers it
(ProviderInvitation) and accepting it makes the membership. Academy knows none of this; it calls
these hooks for every app that offers them (academy.discovery).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from academy.models import Invitation, Role, User
from providers.models import Provider, ProviderInvitation, ProviderMembership

PROVIDER_REQUIRED = "Choose the provider this person works for."
ADMIN_ONLY_FOR_PROVIDER_USERS = "Only care provider users can be provider admins."


def invitation_fields() -> dict[str, forms.Field]:
    """Fields added to the invitation form after the role."""
    return {
        "provider": forms.ModelChoiceField(
            label="Provider",
            help_text="Only for care provider users: the provider they work for.",
            queryset=Provider.objects.filter(is_active=True),
            required=False,
        ),
        "provider_admin": forms.BooleanField(
            label="Make them a provider admin",
            help_text="Only for care provider users: a provider admin can invite colleagues to the same provider.",
            required=False,
        ),
    }


def invitation_check(*, role: str, details: dict[str, Any]) -> None:
    """A provider user's invitation names their provider."""
    if role == Role.PROVIDER and details.get("provider") is None:
        raise ValidationError({"provider": PROVIDER_REQUIRED})
    if role != Role.PROVIDER and details.get("provider_admin"):
        raise ValidationError({"provider_admin": ADMIN_ONLY_FOR_PROVIDER_USERS})


def invitation_created(*, invitation: Invitation, details: dict[str, Any]) -> None:
    """Remember the provider of a provider user's invitation (other roles have none)."""
    if invitation.role == Role.PROVIDER:
        ProviderInvitation.objects.create(
            invitation=invitation, provider=details["provider"], is_admin=bool(details.get("provider_admin"))
        )


def invitation_accepted(*, invitation: Invitation, user: User) -> None:
    """The new provider user acts for the provider they were invited for (as its admin if the invitation says so)."""
    link = ProviderInvitation.objects.filter(invitation=invitation).select_related("provider").first()
    if link is not None:
        ProviderMembership.objects.create(user=user, provider=link.provider, is_admin=link.is_admin)
