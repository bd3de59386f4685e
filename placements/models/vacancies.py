"""Vacancies: jobs, work placements, apprenticeships and volunteering posted by providers.

Held in placements rather than providers because a vacancy can be ring-fenced for a cohort's
completers, and courses sits above providers (apps depend one way).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from academy.models import StatusChange, TimeStampedModel
from courses.models import Cohort
from placements.models.choices import MAX_WEEKLY_HOURS, ContractType, JobRole, PayPeriod, VacancyKind
from providers.models import Provider


class Vacancy(TimeStampedModel):
    """One opening a provider offers; staff approve it before it is published on the job board."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Changes needed"
        CLOSED = "closed", "Closed"
        FILLED = "filled", "Filled"

    # Statuses a learner can apply to.
    OPEN = (Status.PUBLISHED,)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="vacancies")
    kind = models.CharField(max_length=20, choices=VacancyKind.choices, default=VacancyKind.JOB)
    title = models.CharField(max_length=150)
    job_role = models.CharField(max_length=30, choices=JobRole.choices)
    description = models.TextField()
    hours_per_week = models.DecimalField(
        "hours per week",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    pay_amount = models.DecimalField(
        "pay (£)", max_digits=9, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    pay_period = models.CharField(max_length=10, choices=PayPeriod.choices, default=PayPeriod.HOUR)
    place = models.CharField("town or area", max_length=100)
    postcode = models.CharField(max_length=10)
    # OS grid coordinates (metres) of the postcode's centroid, copied from academy's postcode table on save,
    # so the job board sorts by distance with plain arithmetic in SQL. Null when the postcode is unknown.
    easting = models.IntegerField(null=True, blank=True, editable=False)
    northing = models.IntegerField(null=True, blank=True, editable=False)
    places = models.PositiveSmallIntegerField("number of places", default=1, validators=[MinValueValidator(1)])
    places_filled = models.PositiveSmallIntegerField(default=0, editable=False)
    start_date = models.DateField(null=True, blank=True)
    closing_date = models.DateField()
    guaranteed_interview = models.BooleanField("the academy's guaranteed interview applies", default=False)
    ring_fenced_cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ring_fenced_vacancies",
        help_text="Only this cohort's completers may apply. Leave empty for an open vacancy.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(blank=True, help_text="Why staff asked for changes, or why it closed.")
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["closing_date", "title"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(places_filled__lte=models.F("places")), name="placements_vacancy_not_overfilled"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "closing_date"], name="placements_vacancy_board_idx"),
            models.Index(fields=["provider", "status"], name="placements_vacancy_prov_idx"),
            # The job board: newest first, and every column its distance sort and filters read, so sorting
            # the open vacancies by distance reads this index rather than the table (benchmarks/job_board.py).
            models.Index(fields=["status", "-published_at"], name="placements_vacancy_new_idx"),
            models.Index(
                fields=[
                    "status",
                    "closing_date",
                    "easting",
                    "northing",
                    "published_at",
                    "hours_per_week",
                    "kind",
                    "job_role",
                ],
                name="placements_vacancy_near_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.provider}"

    @property
    def places_left(self) -> int:
        return max(self.places - self.places_filled, 0)


class VacancyStatusChange(StatusChange):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=Vacancy.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Vacancy.Status.choices)

    class Meta(StatusChange.Meta):
        indexes = [models.Index(fields=["vacancy", "-changed_at"], name="placements_vacancy_hist_idx")]
