"""DBS checks: criminal-record checks the academy runs and chases before a learner starts work.

Special category data. Certificate details are kept only until the retention date, then purged,
leaving the minimal record a decision needs (level, issue date, decision and who made it).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from academy.models import TimeStampedModel
from candidates.models.candidate import Candidate

# A reminder notice is 1 to 365 days: reminders count as the same renewal or recheck for a year
# before its date (candidates.selectors.dbs_reminders.EPISODE), so a longer notice could send the
# same reminder twice.
NOTICE_DAYS_MAX = 365


def notice_days_message(label: str) -> str:
    """The one wording of the notice rule, used by the model, the service and the policy form."""
    return f"{label} must be between 1 and {NOTICE_DAYS_MAX} days: a longer notice could send the same reminder twice"


def _notice_validators(label: str) -> list[Any]:
    message = notice_days_message(label)
    return [MinValueValidator(1, message=message), MaxValueValidator(NOTICE_DAYS_MAX, message=message)]


class DbsPolicy(models.Model):
    """How an academy chases, rechecks and keeps DBS checks, edited by its managers.

    Row 1 is the portal's policy (the first academy's, and every academy's that has none of its
    own); an academy whose rules differ has its own row."""

    academy = models.OneToOneField(
        "academy.Academy", null=True, blank=True, on_delete=models.CASCADE, related_name="dbs_policy"
    )
    recheck_interval_months = models.PositiveSmallIntegerField(default=36)
    retention_months_after_decision = models.PositiveSmallIntegerField(
        "keep certificate details for (months after the decision)", default=6
    )
    # A check that never reaches a decision or a withdrawal must not keep its details for ever.
    retention_months_after_last_step = models.PositiveSmallIntegerField(
        "keep certificate details of a check with no decision or withdrawal for (months after its last step)",
        default=12,
    )
    chase_application_days = models.PositiveSmallIntegerField(
        "chase a learner who has not completed the application after (days)", default=5
    )
    chase_certificate_first_days = models.PositiveSmallIntegerField(
        "first chase when no certificate after submission (days)", default=14
    )
    chase_certificate_second_days = models.PositiveSmallIntegerField(
        "second chase when no certificate after submission (days)", default=28
    )
    update_service_renewal_notice_days = models.PositiveSmallIntegerField(
        "remind before an Update Service renewal (days)",
        default=30,
        validators=_notice_validators("The notice before an Update Service renewal"),
    )
    recheck_notice_days = models.PositiveSmallIntegerField(
        "remind before a recheck is due (days)",
        default=60,
        validators=_notice_validators("The notice before a recheck"),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "DBS policy"
        verbose_name_plural = "DBS policy"
        # Only row 1 belongs to no academy: it is the portal's policy.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1) | models.Q(academy__isnull=False), name="candidates_dbspolicy_one_default"
            )
        ]

    def __str__(self) -> str:
        return "DBS policy"

    @classmethod
    def current(cls, academy_id: int | None = None) -> DbsPolicy:
        """The academy's own policy if it has one, else the portal's; one query."""
        mine = models.Q(academy_id=academy_id) if academy_id is not None else models.Q(pk__in=[])
        found = cls.objects.filter(mine | models.Q(pk=1)).order_by(models.F("academy_id").asc(nulls_last=True)).first()
        return found or cls.objects.get_or_create(pk=1)[0]

    @classmethod
    def scopes(cls) -> list[tuple[DbsPolicy, models.Q]]:
        """Each policy with the checks it rules (a filter on DbsCheck): the academies with their own, then
        the portal's for everyone else. The sweeps run once per policy."""
        own = list(cls.objects.filter(academy__isnull=False))
        others = ~models.Q(candidate__academy_id__in=[p.academy_id for p in own])
        return [(cls.current(), others), *((p, models.Q(candidate__academy_id=p.academy_id)) for p in own)]


class DbsCheck(TimeStampedModel):
    """One DBS check for one person; a person's newest check is their current one, older ones are history."""

    class Level(models.TextChoices):
        BASIC = "basic", "Basic"
        STANDARD = "standard", "Standard"
        ENHANCED = "enhanced", "Enhanced"
        ENHANCED_ADULTS = "enhanced_adults", "Enhanced with adults' barred list"
        ENHANCED_CHILDREN = "enhanced_children", "Enhanced with children's barred list"
        ENHANCED_BOTH = "enhanced_both", "Enhanced with adults' and children's barred lists"

    class Workforce(models.TextChoices):
        ADULT = "adult", "Adult workforce"
        CHILD = "child", "Child workforce"
        BOTH = "both", "Adult and child workforce"

    class PaidBy(models.TextChoices):
        ACADEMY = "academy", "The academy"
        PROVIDER = "provider", "A care provider"
        LEARNER = "learner", "The learner"
        FUNDING_STREAM = "funding_stream", "A funding stream"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ID_VERIFIED = "id_verified", "ID verified"
        SUBMITTED = "submitted", "Application submitted"
        CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
        CLEARED = "cleared", "Cleared"
        DISCLOSED = "disclosed", "Information disclosed"
        RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
        DECISION_MADE = "decision_made", "Decision made"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Decision(models.TextChoices):
        SUITABLE = "suitable", "Suitable to work"
        NOT_SUITABLE = "not_suitable", "Not suitable to work"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="dbs_checks")
    level = models.CharField(max_length=20, choices=Level.choices)
    workforce = models.CharField(max_length=10, choices=Workforce.choices, default=Workforce.ADULT)
    paid_by = models.CharField(max_length=20, choices=PaidBy.choices, default=PaidBy.ACADEMY)
    # The stream the check is charged to when a funding stream pays for it.
    funding_stream = models.ForeignKey(
        "academy.FundingStream", null=True, blank=True, on_delete=models.PROTECT, related_name="dbs_checks"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    # Dates of each step: reminders, RAG ages and turnaround figures come from these.
    started_on = models.DateField()
    id_verified_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    certificate_issued_on = models.DateField("certificate issue date", null=True, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    application_reference = models.CharField(max_length=40, blank=True)
    # Certificate details: purged after the retention date (details_purged_at says when).
    certificate_number = models.CharField(max_length=20, blank=True)
    disclosure_notes = models.TextField("what was disclosed and the risk assessment", blank=True)
    original_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_seen_at = models.DateTimeField(null=True, blank=True)
    details_purged_at = models.DateTimeField(null=True, blank=True)

    decision = models.CharField(max_length=15, choices=Decision.choices, blank=True)
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recheck_due_on = models.DateField(null=True, blank=True)

    # DBS Update Service.
    update_service_id = models.CharField("Update Service subscription ID", max_length=20, blank=True)
    update_service_subscribed_on = models.DateField(null=True, blank=True)
    update_service_renewal_due_on = models.DateField(null=True, blank=True)
    status_check_consent = models.BooleanField("learner consents to Update Service status checks", default=False)
    status_check_consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        indexes = [
            models.Index(fields=["candidate", "-started_on"], name="candidates_dbs_current_idx"),
            models.Index(fields=["status", "submitted_on"], name="candidates_dbs_status_idx"),
            # The reminder sweep's date ranges (candidates/selectors/dbs_reminders.py): a range scan
            # finds the checks near their renewal or recheck date instead of reading every check.
            models.Index(
                fields=["update_service_renewal_due_on"],
                condition=models.Q(update_service_renewal_due_on__isnull=False),
                name="candidates_dbs_renewal_idx",
            ),
            models.Index(
                fields=["recheck_due_on"],
                condition=models.Q(recheck_due_on__isnull=False),
                name="candidates_dbs_recheck_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="decision_made") | ~models.Q(decision=""),
                name="candidates_dbscheck_decision_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} DBS check ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("candidates:dbs-detail", kwargs={"public_id": self.public_id})


class DbsStatusCheck(models.Model):
    """An Update Service status check and what it found."""

    class Result(models.TextChoices):
        NO_NEW_INFORMATION = "no_new_info", "No new information"
        NEW_INFORMATION = "new_info", "New information: apply for a new check"

    dbs_check = models.ForeignKey(DbsCheck, on_delete=models.CASCADE, related_name="status_checks")
    checked_on = models.DateField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    result = models.CharField(max_length=12, choices=Result.choices)

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.checked_on}: {self.get_result_display()}"


class DbsShare(models.Model):
    """Portable DBS: the outcome shared, with the learner's consent, with one provider."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dbs_check = models.ForeignKey(DbsCheck, on_delete=models.CASCADE, related_name="shares")
    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, related_name="dbs_shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField()
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when consent is withdrawn or staff stop it."
    )

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dbs_check", "provider"],
                condition=models.Q(revoked_at__isnull=True),
                name="candidates_dbsshare_one_active_per_provider",
            )
        ]

    def __str__(self) -> str:
        return f"DBS outcome shared with provider {self.provider_id}"


class DbsReminder(models.Model):
    """A chase or notice due about a check, sent exactly once (claimed by a conditional update)."""

    class Kind(models.TextChoices):
        APPLICATION_INCOMPLETE = "application_incomplete", "Application not completed"
        CERTIFICATE_FIRST_CHASE = "certificate_chase_1", "No certificate yet (first chase)"
        CERTIFICATE_SECOND_CHASE = "certificate_chase_2", "No certificate yet (second chase)"
        UPDATE_SERVICE_RENEWAL = "update_service_renewal", "Update Service renewal due"
        RECHECK_DUE = "recheck_due", "Recheck due"

    class Recipient(models.TextChoices):
        LEARNER = "learner", "Learner"
        STAFF = "staff", "Owning staff member"
        PROVIDER = "provider", "Provider"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent (no address or no longer due)"
        FAILED = "failed", "Failed (the mail server rejected it)"

    dbs_check = models.ForeignKey(DbsCheck, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=25, choices=Kind.choices)
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    # Set for reminders to a provider: a check shared with two providers reminds each of them.
    provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.CASCADE, related_name="dbs_reminders"
    )
    due_on = models.DateField()
    recipient_email = models.EmailField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "kind"]
        # What makes a reminder distinct; the sweep inserts with ON CONFLICT DO NOTHING against these,
        # so two sweeps (or one run twice) create each reminder once.
        constraints = [
            models.UniqueConstraint(
                fields=["dbs_check", "kind", "recipient", "due_on"],
                condition=models.Q(provider__isnull=True),
                name="candidates_dbsreminder_once",
            ),
            models.UniqueConstraint(
                fields=["dbs_check", "kind", "provider", "due_on"],
                condition=models.Q(provider__isnull=False),
                name="candidates_dbsreminder_once_per_provider",
            ),
            models.CheckConstraint(
                condition=models.Q(recipient="provider", provider__isnull=False)
                | (~models.Q(recipient="provider") & models.Q(provider__isnull=True)),
                name="candidates_dbsreminder_provider_recipient",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="candidates_dbsreminder_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.get_recipient_display()} ({self.get_status_display()})"
