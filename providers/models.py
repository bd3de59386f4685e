"""Care providers and the users who act for them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from academy.models import TimeStampedModel

# CQC location IDs look like 1-123456789: "1-" then digits (6 to 11 of them).
CQC_LOCATION_ID_PATTERN = r"^1-[0-9]{6,11}$"
cqc_location_id_validator = RegexValidator(
    CQC_LOCATION_ID_PATTERN, "Enter a CQC location ID like 1-123456789: 1, a hyphen, then the digits"
)


class Provider(TimeStampedModel):
    """A care provider (home care agency, care home, nursing home) that offers placements and jobs."""

    class Kind(models.TextChoices):
        """The type of service, as the academy groups providers."""

        HOME_CARE = "home_care", "Home care"
        RESIDENTIAL = "residential", "Residential care home"
        NURSING = "nursing", "Nursing home"
        SUPPORTED_LIVING = "supported_living", "Supported living"
        DAY_SERVICES = "day_services", "Day services"
        PERSONAL_ASSISTANT_EMPLOYER = "pa_employer", "Personal assistant employer"
        OTHER = "other", "Other"

    class CqcRating(models.TextChoices):
        NOT_RATED = "", "Not rated or not known"
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    class SizeBand(models.TextChoices):
        """Skills for Care's employer size bands, by number of staff."""

        UNKNOWN = "", "Not known"
        MICRO = "micro", "Micro (1 to 9 staff)"
        SMALL = "small", "Small (10 to 49 staff)"
        MEDIUM = "medium", "Medium (50 to 249 staff)"
        LARGE = "large", "Large (250 or more staff)"

    class Agreement(models.TextChoices):
        NONE = "none", "No agreement"
        IN_DISCUSSION = "in_discussion", "In discussion"
        SIGNED = "signed", "Signed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField("type of service", max_length=30, choices=Kind.choices, default=Kind.HOME_CARE)
    cqc_location_id = models.CharField(
        "CQC location ID", max_length=20, blank=True, validators=[cqc_location_id_validator]
    )
    cqc_rating = models.CharField("CQC rating", max_length=30, choices=CqcRating.choices, blank=True)
    cqc_service_types = models.CharField(
        "CQC service types", max_length=500, blank=True, help_text="As the CQC care directory lists them."
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    size_band = models.CharField("size", max_length=10, choices=SizeBand.choices, blank=True)
    contact_name = models.CharField("main contact's name", max_length=150, blank=True)
    contact_email = models.EmailField("main contact's email", blank=True)
    contact_phone = models.CharField("main contact's phone", max_length=30, blank=True)
    agreement_status = models.CharField(
        "agreement with the academy", max_length=20, choices=Agreement.choices, default=Agreement.NONE
    )
    agreement_signed_on = models.DateField("date the agreement was signed", null=True, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    # Providers are shared across a region; each chooses which academies may refer learners to it.
    academies = models.ManyToManyField(
        "academy.Academy",
        related_name="providers",
        blank=True,
        verbose_name="academies that may refer learners",
        help_text="Staff of these academies see this provider, refer learners to it and see its vacancies.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cqc_location_id"],
                condition=~models.Q(cqc_location_id=""),
                name="providers_provider_cqc_location_id_unique",
                violation_error_message="Another provider already has this CQC location ID.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(agreement_status="signed", agreement_signed_on__isnull=False)
                    | (~models.Q(agreement_status="signed") & models.Q(agreement_signed_on__isnull=True))
                ),
                name="providers_provider_signed_date_only_when_signed",
                violation_error_message="Give the date the agreement was signed, and only for a signed agreement.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:provider-detail", kwargs={"public_id": self.public_id})


class ProviderMembership(TimeStampedModel):
    """Links a provider user to the one provider they act for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_membership")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="memberships")
    # A provider admin invites colleagues to the same provider and revokes their pending invitations.
    is_admin = models.BooleanField("provider admin", default=False)

    class Meta:
        ordering = ["provider__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"


class ProviderInvitation(models.Model):
    """The provider a provider user's invitation is for. Held here, so academy's Invitation has no key to
    providers; accepting the invitation makes the ProviderMembership (providers.invitations)."""

    invitation = models.OneToOneField(
        "academy.Invitation", on_delete=models.CASCADE, primary_key=True, related_name="provider_invitation"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="invitation_links")
    # Accepting makes the new user a provider admin (a manager's choice; colleagues invite non-admins).
    is_admin = models.BooleanField("provider admin", default=False)

    def __str__(self) -> str:
        return f"{self.invitation} at {self.provider}"


# --- engagement: contacts, support offered and the quarterly survey ---------------------------------


class ProviderContact(TimeStampedModel):
    """A contact between the academy and a provider: a visit, a call, a meeting, or an event it attended."""

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        CALL = "call", "Phone or video call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"
        EVENT = "event", "Event the provider attended"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField("type of contact", max_length=10, choices=Kind.choices)
    occurred_on = models.DateField("date")
    summary = models.CharField("what was discussed", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set for contacts another app keeps in step (an outreach event's attendance): "<what>:<uuid>".
    source_key = models.CharField(max_length=80, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["provider", "-occurred_on"], name="providers_contact_latest_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "source_key"],
                condition=~models.Q(source_key=""),
                name="providers_providercontact_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.provider} on {self.occurred_on:%d %b %Y}"


class ProviderSupport(TimeStampedModel):
    """Support the academy offered a provider: training, help to recruit, advice."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training for the provider's staff"
        RECRUITMENT = "recruitment", "Help to recruit (adverts, shortlisting, interviews)"
        VALUES_BASED = "values_based", "Values-based recruitment coaching"
        PLACEMENTS = "placements", "Work placements from the academy"
        FUNDING = "funding", "Advice on funding"
        OTHER = "other", "Other support"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="support_offered")
    kind = models.CharField("type of support", max_length=20, choices=Kind.choices)
    offered_on = models.DateField("date offered")
    details = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-offered_on", "-id"]
        verbose_name_plural = "provider support"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.provider}"


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class ProviderSurvey(TimeStampedModel):
    """A provider's answer to the quarterly survey on the academy's recruits and the support it got."""

    SCORES = ("readiness", "values", "retention", "support")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="survey_answers")
    # The first day of the calendar quarter answered for (academy.periods.quarter_of).
    quarter_start = models.DateField()
    readiness = models.PositiveSmallIntegerField("recruits ready for work", validators=RATING_VALIDATORS)
    values = models.PositiveSmallIntegerField("recruits' values and attitude", validators=RATING_VALIDATORS)
    retention = models.PositiveSmallIntegerField("recruits staying in the job", validators=RATING_VALIDATORS)
    support = models.PositiveSmallIntegerField("support from the academy", validators=RATING_VALIDATORS)
    turnover_percent = models.DecimalField(
        "staff turnover in the last 12 months (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    comments = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-quarter_start", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "quarter_start"],
                name="providers_providersurvey_once_per_quarter",
                violation_error_message="This provider has already answered the survey for this quarter.",
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{score}__gte": 1, f"{score}__lte": 5}),
                    name=f"providers_providersurvey_{score}_1_to_5",
                )
                for score in ("readiness", "values", "retention", "support")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} survey for the quarter from {self.quarter_start:%d %b %Y}"
