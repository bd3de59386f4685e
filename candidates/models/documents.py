"""Documents a learner or staff uploaded: stored outside the web root, served only through a view."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from candidates.models.candidate import Candidate


def document_upload_to(instance: Document, filename: str) -> str:
    # A random name: the original (which may hold personal data) is kept only in the database.
    return f"candidate-documents/{instance.candidate.public_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Kind(models.TextChoices):
        CV = "cv", "CV"
        ID = "id", "Identity document"
        CERTIFICATE = "certificate", "Certificate"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
