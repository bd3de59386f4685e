"""Job alerts: a learner's saved search of the job board, and which vacancies it already told them about."""

from __future__ import annotations

import uuid

from django.db import models

from academy.models import TimeStampedModel
from candidates.models import Candidate
from placements.models.choices import JobRole
from placements.models.vacancies import Vacancy


class JobAlert(TimeStampedModel):
    """A saved search (the board's role, hours and distance from a postcode) checked daily or weekly.

    Each run is claimed by a conditional update of `last_run_on`; each vacancy goes to an alert once
    (JobAlertVacancy's unique constraint), so a retry or a second worker never sends it twice.
    """

    class Frequency(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKLY = "weekly", "Once a week"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="job_alerts")
    text = models.CharField("what", max_length=100, blank=True)
    job_role = models.CharField(max_length=30, choices=JobRole.choices, blank=True)
    hours = models.CharField(max_length=10, blank=True, help_text="part_time, full_time or blank for any.")
    where = models.CharField(max_length=60, blank=True)
    radius_miles = models.PositiveSmallIntegerField(null=True, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    last_run_on = models.DateField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["frequency", "last_run_on"],
                condition=models.Q(stopped_at__isnull=True),
                name="placements_jobalert_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Job alert {self.public_id} ({self.get_frequency_display()})"

    @property
    def is_active(self) -> bool:
        return self.stopped_at is None


class JobAlertVacancy(models.Model):
    """A vacancy an alert listed: never listed by that alert again."""

    alert = models.ForeignKey(JobAlert, on_delete=models.CASCADE, related_name="sent_vacancies")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "vacancy"], name="placements_jobalertvacancy_once")]

    def __str__(self) -> str:
        return f"Vacancy {self.vacancy_id} sent by alert {self.alert_id} on {self.sent_on}"
