"""A learner's short CV, built from their profile and courses, and staff's coaching comments on it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from academy.models import TimeStampedModel
from candidates.models import Candidate


class Cv(TimeStampedModel):
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="cv")
    personal_statement = models.TextField(blank=True)
    # [{"employer", "role", "from", "to", "summary"}], newest first; the learner edits it as a list of entries.
    work_history = models.JSONField(default=list, blank=True)
    skills = models.TextField(blank=True)
    interests = models.TextField("interests and achievements", blank=True)

    class Meta:
        verbose_name = "CV"

    def __str__(self) -> str:
        return f"CV of {self.candidate}"


class CvComment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cv = models.ForeignKey(Cv, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Comment on {self.cv}"
