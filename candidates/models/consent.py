"""What a learner agreed to, as history: the newest record of each kind is the one in force."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from candidates.models.candidate import Candidate


class ConsentKind(models.TextChoices):
    SHARE_WITH_PROVIDERS = "share_with_providers", "Share my profile with providers I apply to or am referred to"
    CONTACT_EMAIL = "contact_email", "Contact me by email"
    CONTACT_SMS = "contact_sms", "Contact me by text message"
    DATA_RETENTION = "data_retention", "Keep my data after I finish with the academy"
    CASE_STUDY = "case_study", "Tell my story as a case study in the academy's reports"


class Consent(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=30, choices=ConsentKind.choices)
    granted = models.BooleanField()
    retention_months = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["candidate", "kind", "-recorded_at"], name="candidates_consent_current_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'given' if self.granted else 'withdrawn'}"


class DataRequest(models.Model):
    """A learner's request to delete their data; staff complete it by anonymising the record."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed: record anonymised"
        REJECTED = "rejected", "Rejected"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="data_requests")
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=models.Q(status="open"), name="candidates_datarequest_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"Deletion request ({self.get_status_display()})"
