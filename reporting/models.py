"""Quarterly impact reports and what managers write for them: narrative, self-assessment, case studies.

The figures themselves are never stored: `reporting.figures.report_figures(scope)` computes them from the
database each time a report is built. What is stored is each built PDF (a version: regenerating adds
one and keeps the old) with its period, filters, who asked and its SHA-256.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from academy.models import Academy, Region, StatusChange, TimeStampedModel
from academy.periods import Quarter
from candidates.models import Candidate


def impact_report_upload_to(report: ImpactReport, filename: str) -> str:
    # One folder per report, named by its public id: a retry after a crash writes the same name again,
    # so a report never has two files, and names are never guessable.
    return f"reports/{report.public_id}/{filename}"


class ImpactReport(TimeStampedModel):
    """One version of a quarterly impact report: asked for (or scheduled), built by a worker, kept."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The academy the report is about; empty for a region's or the whole portal's report (see filters).
    academy = models.ForeignKey(Academy, null=True, blank=True, on_delete=models.PROTECT, related_name="impact_reports")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="impact_reports")
    # What the report counts, as a string that is the same for the same scope: "academy:3", "academy:3|stream:7".
    # Versions of a report are numbered within (scope_key, period).
    scope_key = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    quarter_label = models.CharField(max_length=100)
    # academy_ids, region_id, stream_id/stream_code, course_id, cohort_id, provider_id: ReportScope's fields.
    filters = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    scheduled = models.BooleanField(default=False, help_text="Made by the quarterly schedule, not asked for.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="impact_reports"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # The Celery task that holds the build, and since when (a lease: see reporting.services.reports).
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=impact_report_upload_to, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    build_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="reporting_impactreport_period"
            ),
            models.UniqueConstraint(
                fields=["scope_key", "period_start", "period_end", "version"], name="reporting_impactreport_version"
            ),
            # The quarterly schedule makes one report per academy and quarter, however often beat fires.
            models.UniqueConstraint(
                fields=["scope_key", "period_start", "period_end"],
                condition=models.Q(scheduled=True),
                name="reporting_impactreport_scheduled_once",
            ),
        ]
        indexes = [
            models.Index(fields=["academy", "-requested_at"], name="reporting_report_academy_idx"),
            models.Index(fields=["status", "claimed_at"], name="reporting_report_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Impact report {self.quarter_label} (version {self.version})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class ImpactReportStatusChange(StatusChange):
    """History of a report's build (reporting.services.reports)."""

    report = models.ForeignKey(ImpactReport, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=ImpactReport.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=ImpactReport.Status.choices)

    class Meta(StatusChange.Meta):
        indexes = [models.Index(fields=["report", "-changed_at"], name="reporting_report_history_idx")]


class CaseStudy(TimeStampedModel):
    """A learner's story, written with their recorded consent (candidates' CASE_STUDY consent).

    Reports include it only while that consent is in force: a withdrawn consent drops it from every
    report built afterwards (reports already built are records of what was published)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="case_studies")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="case_studies")
    title = models.CharField(max_length=150)
    # The name the story uses: a first name or a pseudonym, as the learner agreed.
    display_name = models.CharField("name used in the story", max_length=60)
    story = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title


class ReportNarrative(TimeStampedModel):
    """What managers write for an academy's quarter before generating its report."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="report_narratives")
    period_start = models.DateField(help_text="The first day of the quarter.")
    highlights = models.TextField(blank=True)
    sector_challenges = models.TextField(blank=True)
    next_quarter_plans = models.TextField(blank=True)
    case_studies = models.ManyToManyField(CaseStudy, blank=True, related_name="narratives")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["academy", "period_start"], name="reporting_reportnarrative_once"),
        ]

    def __str__(self) -> str:
        return f"Narrative for {self.quarter.label}"

    @property
    def quarter(self) -> Quarter:
        return Quarter.containing(self.period_start)


class MaturityLevel(models.Model):
    """A step of the academy model's maturity scale (default: strategic, integrated, disruptive)."""

    name = models.CharField(max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True, help_text="Higher is more mature.")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class AssessmentArea(models.TextChoices):
    PIPELINE = "pipeline", "Pipeline"
    RECRUITMENT = "recruitment", "Recruitment"
    RETENTION = "retention", "Retention"
    DEVELOPMENT = "development", "Development"
    INNOVATION = "innovation", "Innovation"


class SelfAssessment(TimeStampedModel):
    """An academy's dated judgement of itself in one area of the academy model."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="self_assessments")
    area = models.CharField(max_length=20, choices=AssessmentArea.choices)
    assessed_on = models.DateField(default=date.today)
    level = models.ForeignKey(MaturityLevel, on_delete=models.PROTECT, related_name="+")
    target_level = models.ForeignKey(MaturityLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["academy", "area", "-assessed_on"], name="reporting_assess_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.level} on {self.assessed_on:%d %B %Y}"
