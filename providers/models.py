"""Care providers and the users who act for them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from academy.models import TimeStampedModel


class Provider(TimeStampedModel):
    """A care provider (home care agency, care home, nursing home) that offers placements and jobs."""

    class Kind(models.TextChoices):
        HOME_CARE = "home_care", "Home care"
        RESIDENTIAL = "residential", "Residential care home"
        NURSING = "nursing", "Nursing home"
        SUPPORTED_LIVING = "supported_living", "Supported living"
        DAY_SERVICES = "day_services", "Day services"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.HOME_CARE)
    cqc_location_id = models.CharField("CQC location ID", max_length=20, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:provider-detail", kwargs={"public_id": self.public_id})


class ProviderMembership(TimeStampedModel):
    """Links a provider user to the one provider they act for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_membership")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["provider__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"


class ProviderInvitation(models.Model):
    """The provider a provider user's invitation is for. Held here, so academy's Invitation has no key to
    providers; accepting the invitation makes the ProviderMembership (providers.invitations)."""

    invitation = models.OneToOneField(
        "academy.Invitation", on_delete=models.CASCADE, primary_key=True, related_name="provider_invitation"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="invitation_links")

    def __str__(self) -> str:
        return f"{self.invitation} at {self.provider}"
