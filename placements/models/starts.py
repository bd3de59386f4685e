"""The personnel folder that moves with an offer, and the confirmed job start."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from academy.models import TimeStampedModel
from candidates.models import Candidate
from placements.models.applications import JobApplication
from placements.models.choices import MAX_WEEKLY_HOURS, ContractType, JobRole
from providers.models import Provider


class PersonnelFolder(TimeStampedModel):
    """What a care employer needs before a start: employment history, right-to-work evidence and two
    references (the DBS outcome comes from the DBS area). Released to the offering provider when an offer
    is made, only if the learner consented on that application; every release and view is audited."""

    class RightToWorkEvidence(models.TextChoices):
        PASSPORT_UK = "passport_uk", "UK or Irish passport"
        SHARE_CODE = "share_code", "Home Office share code checked online"
        BIRTH_CERTIFICATE_NI = "birth_certificate_ni", "UK birth certificate with National Insurance number"
        BRP = "brp", "Biometric residence permit or eVisa"
        OTHER = "other", "Other document on the Home Office list"

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="personnel_folder")
    employment_history = models.TextField(blank=True, help_text="Employers, roles and dates; gaps explained.")
    right_to_work_evidence = models.CharField(max_length=30, choices=RightToWorkEvidence.choices, blank=True)
    right_to_work_seen_on = models.DateField(null=True, blank=True)
    right_to_work_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Personnel folder of {self.candidate}"


class Reference(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        RECEIVED = "received", "Received and satisfactory"
        UNSATISFACTORY = "unsatisfactory", "Received, not satisfactory"

    folder = models.ForeignKey(PersonnelFolder, on_delete=models.CASCADE, related_name="references")
    referee_name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=120, help_text="For example: last employer, tutor, volunteer lead.")
    referee_email = models.EmailField(blank=True)
    referee_phone = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Reference from {self.referee_name}"


class FolderRelease(models.Model):
    """The folder was released to the provider of this application (once per application)."""

    application = models.OneToOneField(JobApplication, on_delete=models.CASCADE, related_name="folder_release")
    released_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Folder released for {self.application} at {self.released_at:%Y-%m-%d %H:%M}"


class JobStart(TimeStampedModel):
    """A confirmed start in work: what outcomes and sustained-employment follow-ups build on."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="job_starts")
    application = models.OneToOneField(
        JobApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="job_start"
    )
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="job_starts")
    employer_name = models.CharField(max_length=200, help_text="The provider's name, or another employer's.")
    job_role = models.CharField(max_length=30, choices=JobRole.choices)
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    start_date = models.DateField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["start_date"], name="placements_jobstart_date_idx"),
            models.Index(fields=["provider", "-start_date"], name="placements_jobstart_prov_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} started at {self.employer_name} on {self.start_date}"
