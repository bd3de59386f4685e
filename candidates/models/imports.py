"""CSV imports of candidates: parsed and checked first, committed all at once or not at all."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from academy.models import Academy, default_academy_id


class CandidateImport(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", "Checked, waiting for confirmation"
        INVALID = "invalid", "Has errors, nothing imported"
        IMPORTED = "imported", "Imported"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original_name = models.CharField(max_length=200)
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="+", default=default_academy_id)
    # The parsed, normalised rows; committing re-validates them rather than trusting the preview.
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list, help_text="[{line, field, message}]")
    duplicates = models.JSONField(default=list, help_text="[{line, candidate public_id, reason}]")
    status = models.CharField(max_length=10, choices=Status.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)
    # The counts outlive `rows`, which are cleared once imported (the records now hold that data).
    row_count = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0, help_text="Possible duplicates left out.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("candidates:import-detail", kwargs={"public_id": self.public_id})
