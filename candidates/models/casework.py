"""Staff casework: contact log with follow-ups, and the skills action plan."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from academy.models import TimeStampedModel
from candidates.models.candidate import Candidate


class ContactLogQuerySet(models.QuerySet["ContactLog"]):
    def follow_ups_overdue(self, today: object) -> ContactLogQuerySet:
        return self.filter(follow_up_on__lt=today, follow_up_done_at__isnull=True)


class ContactLog(models.Model):
    """A call, email, meeting or note about a candidate, with an optional follow-up date."""

    class Kind(models.TextChoices):
        CALL = "call", "Phone call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"
        SMS = "sms", "Text message"
        NOTE = "note", "Note"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.TextField()
    occurred_at = models.DateTimeField(default=timezone.now)
    follow_up_on = models.DateField(null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ContactLogQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["follow_up_on"], name="candidates_followup_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_at:%d %b %Y}"


class ActionPlanItem(TimeStampedModel):
    """One line of the skills action plan: a goal and the action towards it, with owner and due date."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="action_items")
    goal = models.CharField(max_length=200)
    action = models.CharField(max_length=300)
    owner = models.CharField(max_length=100, help_text="Who does it: the learner, a named staff member, a partner.")
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return self.action


class ActionPlanReview(models.Model):
    """A review date of the skills action plan, with what was agreed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="action_reviews")
    review_on = models.DateField()
    notes = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review_on"]

    def __str__(self) -> str:
        return f"Review on {self.review_on:%d %b %Y}"
