"""Job applications and referrals to vacancies, and the interviews that follow.

Named JobApplication so it never clashes with courses.Application (a place on a course).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from academy.models import StatusChange, TimeStampedModel
from candidates.models import Candidate
from placements.models.vacancies import Vacancy


class JobApplication(TimeStampedModel):
    """A learner's application to a vacancy, made by the learner or a referral by staff.

    The provider sees it only once the learner has consented (`consented_at`): at once for their own
    application, after they agree for a staff referral. What the provider may see is what the consent
    covers: the profile, the CV if attached, and the personnel folder only if `folder_release_consented`.
    """

    class Route(models.TextChoices):
        APPLIED = "applied", "Applied"
        REFERRED = "referred", "Referred by the academy"

    class Status(models.TextChoices):
        AWAITING_CONSENT = "awaiting_consent", "Waiting for the learner's agreement"
        APPLIED = "applied", "Applied"
        REFERRED = "referred", "Referred"
        SHORTLISTED = "shortlisted", "Shortlisted"
        INTERVIEW = "interview", "Interview"
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Offer accepted"
        STARTED = "started", "Started"
        NOT_PROGRESSED = "not_progressed", "Not progressed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Statuses the provider can see (the learner has agreed to share).
    VISIBLE_TO_PROVIDER = (
        Status.APPLIED,
        Status.REFERRED,
        Status.SHORTLISTED,
        Status.INTERVIEW,
        Status.OFFERED,
        Status.ACCEPTED,
        Status.STARTED,
        Status.NOT_PROGRESSED,
        Status.WITHDRAWN,
    )
    # Statuses still in progress (the learner can withdraw; a new application to the same vacancy is refused).
    ACTIVE = (
        Status.AWAITING_CONSENT,
        Status.APPLIED,
        Status.REFERRED,
        Status.SHORTLISTED,
        Status.INTERVIEW,
        Status.OFFERED,
        Status.ACCEPTED,
    )
    # Statuses that hold one of the vacancy's places.
    HOLDS_PLACE = (Status.OFFERED, Status.ACCEPTED, Status.STARTED)

    class NotProgressedReason(models.TextChoices):
        NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
        UNSUCCESSFUL_INTERVIEW = "unsuccessful_interview", "Unsuccessful at interview"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend the interview"
        OFFER_DECLINED = "offer_declined", "Offer declined by the learner"
        OFFER_WITHDRAWN = "offer_withdrawn", "Offer withdrawn by the provider"
        PRE_EMPLOYMENT_CHECKS = "pre_employment_checks", "Pre-employment checks not met"
        VACANCY_CLOSED = "vacancy_closed", "Vacancy closed or filled"
        OTHER = "other", "Other reason"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="job_applications")
    route = models.CharField(max_length=10, choices=Route.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    not_progressed_reason = models.CharField(max_length=30, choices=NotProgressedReason.choices, blank=True)
    status_reason = models.TextField(blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referral_note = models.TextField(
        blank=True, help_text="Why staff think this is a good match (shown to the learner)."
    )
    # Consent, recorded per application: the learner agreed to share their profile with this provider.
    consented_at = models.DateTimeField(null=True, blank=True)
    cv_attached = models.BooleanField("CV attached", default=False)
    folder_release_consented = models.BooleanField(
        "the learner agrees the personnel folder goes to the provider when an offer is made", default=False
    )
    supporting_statement = models.TextField(blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_start_date = models.DateField("proposed start date", null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Ready-to-start items that are not derived from other records (DBS, folder): confirmed by staff or provider.
    mandatory_training_met_at = models.DateTimeField(null=True, blank=True)
    start_date_agreed = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "candidate"],
                condition=Q(
                    status__in=[
                        "awaiting_consent",
                        "applied",
                        "referred",
                        "shortlisted",
                        "interview",
                        "offered",
                        "accepted",
                        "started",
                    ]
                ),
                name="placements_one_live_application_per_vacancy",
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "status"], name="placements_jobapp_status_idx"),
            models.Index(fields=["candidate", "-created_at"], name="placements_jobapp_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.vacancy}"


class JobApplicationStatusChange(StatusChange):
    application = models.ForeignKey(JobApplication, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=JobApplication.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=JobApplication.Status.choices)

    class Meta(StatusChange.Meta):
        indexes = [models.Index(fields=["application", "-changed_at"], name="placements_jobapp_hist_idx")]


class Interview(TimeStampedModel):
    """An interview for a job application; both sides get an invitation with an .ics file."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Not yet held"
        SUCCESSFUL = "successful", "Successful"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(JobApplication, on_delete=models.CASCADE, related_name="interviews")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    location = models.CharField("place", max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    notes = models.TextField("notes for the learner", blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_notes = models.TextField(blank=True)
    # ICS SEQUENCE: bumped on each change, so calendars replace the earlier invitation.
    sequence = models.PositiveSmallIntegerField(default=0, editable=False)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Claimed by a conditional update before the day-before reminder is sent, so it goes once.
    reminder_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at", "outcome"], name="placements_interview_due_idx")]

    def __str__(self) -> str:
        return f"Interview for {self.application} at {self.starts_at:%Y-%m-%d %H:%M}"


class InterviewDue(TimeStampedModel):
    """A guaranteed interview owed to a learner who completed a course that promises one."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="interviews_due")
    # The completed enrolment that earned it (courses.Enrolment), kept as a key so the cohort and course show.
    enrolment = models.OneToOneField("courses.Enrolment", on_delete=models.CASCADE, related_name="interview_due")
    due_since = models.DateField()
    met_by = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.SET_NULL, related_name="guarantees_met"
    )
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_since"]
        verbose_name_plural = "interviews due"
        indexes = [models.Index(fields=["met_at", "due_since"], name="placements_interview_owed_idx")]

    def __str__(self) -> str:
        return f"Guaranteed interview for {self.candidate} since {self.due_since}"
