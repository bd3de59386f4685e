"""Work placements on a course, and providers' feedback on a learner's readiness for work."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from academy.models import StatusChange, TimeStampedModel
from candidates.models import Candidate
from courses.models import Cohort
from placements.models.starts import JobStart
from placements.models.vacancies import Vacancy
from providers.models import Provider


class WorkPlacement(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed, waiting for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        ENDED_EARLY = "ended_early", "Ended early"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="work_placements")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="work_placements")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="work_placements")
    vacancy = models.ForeignKey(
        Vacancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_placements"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    planned_hours = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(500)]
    )
    worked_hours = models.DecimalField(
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(500)],
    )
    supervisor_name = models.CharField(max_length=120)
    supervisor_phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.TextField(blank=True)
    review = models.TextField("sign-off review", blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="placements_placement_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="placements_plcmt_cohort_idx")]

    def __str__(self) -> str:
        return f"{self.candidate} at {self.provider} from {self.start_date}"


class WorkPlacementStatusChange(StatusChange):
    placement = models.ForeignKey(WorkPlacement, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=WorkPlacement.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=WorkPlacement.Status.choices)

    class Meta(StatusChange.Meta):
        indexes = [models.Index(fields=["placement", "-changed_at"], name="placements_plcmt_hist_idx")]


class ReadinessFeedback(TimeStampedModel):
    """A provider's short view of a learner's readiness for work: after a placement, and four weeks after a
    job start. Created when due (one per placement, one per start); answered once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="readiness_feedback")
    placement = models.OneToOneField(
        WorkPlacement, null=True, blank=True, on_delete=models.CASCADE, related_name="readiness_feedback"
    )
    job_start = models.OneToOneField(
        JobStart, null=True, blank=True, on_delete=models.CASCADE, related_name="readiness_feedback"
    )
    due_on = models.DateField()
    requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        verbose_name_plural = "readiness feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(placement__isnull=False, job_start__isnull=True)
                | Q(placement__isnull=True, job_start__isnull=False),
                name="placements_feedback_about_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"Readiness feedback due {self.due_on} from {self.provider}"
