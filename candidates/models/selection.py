"""Screening and selection events: values, literacy and numeracy, panel interview, outcome."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from academy.models import Academy, TimeStampedModel, default_academy_id
from candidates.models.candidate import Candidate


class SkillLevel(models.TextChoices):
    """Functional skills levels, lowest first (the order is used to compare with the minimum)."""

    ENTRY_1 = "entry_1", "Entry 1"
    ENTRY_2 = "entry_2", "Entry 2"
    ENTRY_3 = "entry_3", "Entry 3"
    LEVEL_1 = "level_1", "Level 1"
    LEVEL_2 = "level_2", "Level 2"

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)


class SelectionEvent(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=120)
    held_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="+", default=default_academy_id)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("candidates:selection-detail", kwargs={"public_id": self.public_id})


class SelectionResult(TimeStampedModel):
    """One person's results at a selection event."""

    class Interview(models.TextChoices):
        PASSED = "passed", "Passed"
        NOT_PASSED = "not_passed", "Not passed"
        NOT_HELD = "not_held", "Not held"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        ACCEPTED = "accepted", "Accepted"
        REFERRED = "referred", "Referred to build skills"
        NOT_ACCEPTED = "not_accepted", "Not accepted on values"

    class ReferralPartner(models.TextChoices):
        COLLEGE = "college", "College partner"
        JOBCENTRE = "jobcentre", "Jobcentre Plus"
        OTHER = "other", "Other partner"

    event = models.ForeignKey(SelectionEvent, on_delete=models.CASCADE, related_name="results")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="selection_results")
    values_score = models.PositiveSmallIntegerField(
        "values case-study score (0-10)", null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    literacy_level = models.CharField(max_length=10, choices=SkillLevel.choices, blank=True)
    numeracy_level = models.CharField(max_length=10, choices=SkillLevel.choices, blank=True)
    interview = models.CharField(max_length=12, choices=Interview.choices, default=Interview.NOT_HELD)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.PENDING)
    referred_to = models.CharField(max_length=12, choices=ReferralPartner.choices, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    feedback = models.TextField(blank=True, help_text="Constructive feedback; emailed when not accepted.")
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by candidates.services.selection when the person comes back to a later event after a
    # referral, so the earlier event can show what became of it. One re-screening per referral.
    follows_referral = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescreenings"
    )

    class Meta:
        ordering = ["candidate__last_name", "candidate__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["follows_referral"],
                condition=models.Q(follows_referral__isnull=False),
                name="candidates_selectionresult_referral_followed_once",
            ),
            models.UniqueConstraint(fields=["event", "candidate"], name="candidates_selectionresult_once_per_event"),
            models.CheckConstraint(
                condition=~models.Q(outcome="referred") | ~models.Q(referred_to=""),
                name="candidates_selectionresult_referral_has_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} at {self.event}: {self.get_outcome_display()}"
