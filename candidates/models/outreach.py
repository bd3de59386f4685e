"""Outreach events (job fairs, Jobcentre days, stalls, talks) and the people who enquired at them.

An event is the source of the records it created: an enquiry marked `is_new_record` is the one that
brought the person to the academy, so quarterly figures by source can name the event.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from academy.models import Academy, TimeStampedModel, default_academy_id
from candidates.models.candidate import Candidate
from providers.models import Provider


class OutreachEvent(TimeStampedModel):
    """Something the academy runs or attends to find people: where, when, with whom and at what cost."""

    class Kind(models.TextChoices):
        INFORMATION_SESSION = "information_session", "Information session"
        JOBCENTRE_DAY = "jobcentre_day", "Jobcentre day"
        JOB_FAIR = "job_fair", "Job fair"
        COMMUNITY_STALL = "community_stall", "Community stall"
        SCHOOL_TALK = "school_talk", "School talk"
        OPEN_DAY = "open_day", "Open day"
        PROVIDER_VISIT = "provider_visit", "Provider visit"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=150)
    kind = models.CharField("type of event", max_length=30, choices=Kind.choices)
    held_on = models.DateField("date")
    starts_at = models.TimeField("start time", null=True, blank=True)
    ends_at = models.TimeField("end time", null=True, blank=True)
    place = models.CharField(max_length=200)
    postcode = models.CharField(max_length=10, blank=True)
    partner = models.CharField(max_length=150, blank=True, help_text="For example, Leeds City Jobcentre Plus.")
    description = models.TextField(blank=True)
    is_public = models.BooleanField("shown on the public events page", default=False)
    cost = models.DecimalField(
        "cost (£)", max_digits=9, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    staff_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="outreach_events",
        limit_choices_to={"role__in": ["staff", "manager"]},
    )
    providers_attending = models.ManyToManyField(Provider, blank=True, related_name="outreach_events")
    # The academy that runs it: its staff see it, and people who enquire become its learners.
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="+", default=default_academy_id)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "title"]
        indexes = [
            models.Index(fields=["held_on"], name="candidates_outreach_held_idx"),
            models.Index(fields=["held_on"], condition=models.Q(is_public=True), name="candidates_outreach_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="candidates_outreachevent_cost_not_negative"),
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="candidates_outreachevent_ends_after_start",
                violation_error_message="The end time must be after the start time.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("candidates:outreach-detail", kwargs={"public_id": self.public_id})


class EventEnquiry(TimeStampedModel):
    """One person's enquiry at (or for) an event: once per person and event, whoever recorded it."""

    class Channel(models.TextChoices):
        ONLINE = "online", "Registered interest online"
        AT_EVENT = "at_event", "Added by staff at the event"

    event = models.ForeignKey(OutreachEvent, on_delete=models.PROTECT, related_name="enquiries")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="event_enquiries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The enquiry created the record: the event is where the academy found this person (their source).
    is_new_record = models.BooleanField(default=False, editable=False)
    contact_consent = models.BooleanField("agreed to be contacted", default=False)
    note = models.CharField("what they asked about", max_length=300, blank=True)
    # Sent by the phone form with each save, so a retried save after a lost answer is recognised.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "event enquiries"
        constraints = [
            models.UniqueConstraint(fields=["event", "candidate"], name="candidates_eventenquiry_once_per_event"),
        ]
        indexes = [
            models.Index(
                fields=["candidate"], condition=models.Q(is_new_record=True), name="candidates_enquiry_source_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} at {self.event}"
