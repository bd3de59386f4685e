"""What a learner went on to do (outcomes), the sustained-employment follow-ups each funding stream asks for,
and the reminders about due follow-ups, each sent exactly once per attempt."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from academy.models import FundingStream, TimeStampedModel
from candidates.models import Candidate
from placements.models.choices import MAX_WEEKLY_HOURS, ContractType
from placements.models.starts import JobStart
from providers.models import Provider


class LeavingReason(models.TextChoices):
    RESIGNED = "resigned", "Resigned"
    OTHER_CARE_JOB = "other_care_job", "Moved to another care job"
    LEFT_CARE = "left_care", "Left care for other work"
    END_OF_CONTRACT = "end_of_contract", "Contract or probation ended"
    DISMISSED = "dismissed", "Dismissed"
    HEALTH = "health", "Own health"
    CARING = "caring", "Caring responsibilities"
    STUDY = "study", "Went into education or training"
    OTHER = "other", "Other reason"


class OutcomeQuerySet(models.QuerySet["Outcome"]):
    def paid(self) -> OutcomeQuerySet:
        """Outcomes that are paid work: what job-start and sustained figures count."""
        return self.filter(kind__in=Outcome.PAID_KINDS)


class Outcome(TimeStampedModel):
    """One thing a learner went on to: a job, an apprenticeship, learning, work experience or volunteering."""

    class Kind(models.TextChoices):
        PAID_JOB_CARE = "paid_job_care", "Paid job in care"
        OTHER_PAID_JOB = "other_paid_job", "Other paid job"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        LEARNING = "learning", "Further learning or training"
        WORK_EXPERIENCE = "work_experience", "Work experience"
        VOLUNTEERING = "volunteering", "Volunteering"

    class Evidence(models.TextChoices):
        PROVIDER_CONFIRMATION = "provider_confirmation", "Confirmed by the employer"
        PAYSLIP = "payslip", "Payslip seen"
        LEARNER_STATEMENT = "learner_statement", "Learner's own statement"

    class LevyStatus(models.TextChoices):
        LEVY_PAYER = "levy_payer", "Pays the apprenticeship levy"
        NON_LEVY = "non_levy", "Does not pay the levy (co-investment)"

    PAID_KINDS = (Kind.PAID_JOB_CARE, Kind.OTHER_PAID_JOB, Kind.APPRENTICESHIP)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
        help_text="The employer or organisation, when it is one of our providers.",
    )
    employer_name = models.CharField(
        "employer or organisation", max_length=200, blank=True, help_text="When it is not one of our providers."
    )
    role = models.CharField(max_length=150, blank=True)
    start_date = models.DateField()
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_WEEKLY_HOURS)],
    )
    contract_type = models.CharField(max_length=20, choices=ContractType.choices, blank=True)
    evidence = models.CharField(max_length=25, choices=Evidence.choices)
    levy_status = models.CharField("employer's levy status", max_length=12, choices=LevyStatus.choices, blank=True)
    co_investment_percent = models.DecimalField(
        "employer's co-investment share (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    left_on = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=20, choices=LeavingReason.choices, blank=True)
    leaving_note = models.TextField(blank=True)
    # Set when a confirmed job start created this outcome: one outcome per start.
    job_start = models.OneToOneField(JobStart, null=True, blank=True, on_delete=models.PROTECT, related_name="outcome")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True) | models.Q(hours_per_week__gte=0),
                name="placements_outcome_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(co_investment_percent__isnull=True)
                | models.Q(co_investment_percent__gte=0, co_investment_percent__lte=100),
                name="placements_outcome_co_investment_percent",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("start_date")),
                name="placements_outcome_left_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "start_date"], name="placements_outcome_kind_idx")]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.get_kind_display()} at {self.employer} from {self.start_date}"

    @property
    def employer(self) -> str:
        if self.provider is not None:
            return self.provider.name
        return self.employer_name or "employer not recorded"

    @property
    def is_paid(self) -> bool:
        return self.kind in self.PAID_KINDS


class FollowUp(TimeStampedModel):
    """A stream's question at one week point after an outcome started: is the person still employed?"""

    class Result(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        STILL_EMPLOYED = "still_employed", "Still employed"
        LEFT = "left", "Left"
        UNKNOWN = "unknown", "Unknown (no answer)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="follow_ups")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="follow_ups")
    week = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    result = models.CharField(max_length=15, choices=Result.choices, default=Result.PENDING)
    left_on = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=20, choices=LeavingReason.choices, blank=True)
    # Reminder rounds made so far, and the day of the last one (the next waits FOLLOW_UP_RETRY_DAYS).
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "stream", "week"], name="placements_followup_once_per_week"),
            models.CheckConstraint(
                condition=models.Q(result="left", left_on__isnull=False) | ~models.Q(result="left"),
                name="placements_followup_left_has_date",
            ),
        ]
        indexes = [models.Index(fields=["result", "due_on"], name="placements_followup_due_idx")]

    def __str__(self) -> str:
        return f"{self.week}-week follow-up of {self.outcome} for {self.stream.code}"


class FollowUpReminder(models.Model):
    """One attempt at asking about a due follow-up, to the employer or to staff, sent exactly once.

    Distinct per outcome, due date, recipient and attempt: where several streams ask about the same
    outcome on the same day, the person's employer is asked once (the answer closes them all).
    """

    class Recipient(models.TextChoices):
        PROVIDER = "provider", "Employer (provider)"
        STAFF = "staff", "Academy staff"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent (no address or already answered)"
        FAILED = "failed", "Failed (the mail server rejected it)"

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    attempt = models.PositiveSmallIntegerField()
    recipient_email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "recipient", "attempt"], name="placements_followupreminder_once"
            ),
            models.UniqueConstraint(
                fields=["outcome", "due_on", "recipient", "attempt"], name="placements_followupreminder_once_per_day"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="placements_fureminder_idx")]

    def __str__(self) -> str:
        return f"Follow-up reminder {self.attempt} to {self.get_recipient_display()} ({self.get_status_display()})"
