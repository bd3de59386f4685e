"""Courses, their runs (cohorts) and sessions, applications, enrolments, attendance and outcomes."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from academy.models import Academy, StatusChange, TimeStampedModel, default_academy_id
from candidates.models import Candidate


class Course(TimeStampedModel):
    class Kind(models.TextChoices):
        PRE_EMPLOYMENT = "pre_employment", "Pre-employment course"
        BITE_SIZE = "bite_size", "Bite-size course"
        CARE_CERTIFICATE = "care_certificate", "Care Certificate"
        QUALIFICATION = "qualification", "Qualification"
        REFRESHER = "refresher", "Refresher"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=150)
    summary = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    length_days = models.PositiveSmallIntegerField("length in training days", validators=[MinValueValidator(1)])
    placement_days = models.PositiveSmallIntegerField("work placement days", default=0)
    guaranteed_interview = models.BooleanField("ends with a guaranteed job interview", default=False)
    entry_requirements = models.TextField(blank=True)
    # The stream the course is usually paid from; its cohorts and support payments start from it.
    funding_stream = models.ForeignKey(
        "academy.FundingStream", null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    attendance_bursary_amount = models.DecimalField(
        "attendance bursary (£)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    attendance_bursary_threshold = models.PositiveSmallIntegerField(
        "attendance needed for the bursary (%)", default=90, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="courses", default=default_academy_id)
    shared_with_region = models.BooleanField(
        "open to learners of the other academies in the region",
        default=False,
        help_text="The academy that runs the course still manages its cohorts.",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course-detail", kwargs={"public_id": self.public_id})


class ScreeningQuestion(models.Model):
    """A question applicants answer, e.g. a values question; free text or one of listed choices."""

    class Kind(models.TextChoices):
        TEXT = "text", "Free text"
        CHOICE = "choice", "Choose one"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(blank=True, help_text="For 'Choose one': one choice per line.")
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Cohort(TimeStampedModel):
    """One run of a course, with its dates, capacity and sessions."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned (not open yet)"
        OPEN = "open", "Open for applications"
        CLOSED = "closed", "Closed for applications"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120, help_text="E.g. 'Leeds, January 2027'.")
    start_date = models.DateField()
    end_date = models.DateField()
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    venue = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=80, blank=True, help_text="Used by the public course finder.")
    partner = models.CharField("partner college or trainer", max_length=150, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    # The stream this run is charged to (a course's runs may be paid by different funders).
    funding_stream = models.ForeignKey(
        "academy.FundingStream", null=True, blank=True, on_delete=models.PROTECT, related_name="cohorts"
    )

    class Meta:
        ordering = ["start_date", "name"]
        indexes = [models.Index(fields=["status", "start_date"], name="courses_cohort_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="courses_cohort_end_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="courses_cohort_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title}: {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("courses:cohort-detail", kwargs={"public_id": self.public_id})


class Session(models.Model):
    """A taught day or part-day of a cohort, in a venue or online."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    tutor = models.CharField(max_length=120, blank=True)
    topic = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="courses_session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%a %d %b %Y} {self.start_time:%H:%M}"


class Application(TimeStampedModel):
    """A learner's application to a cohort, from submission to a decision on a place."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SHORTLISTED = "shortlisted", "Shortlisted"
        OFFERED = "offered", "Place offered"
        ACCEPTED = "accepted", "Place accepted"
        WAITING_LIST = "waiting_list", "On the waiting list"
        DECLINED = "declined", "Not offered a place"
        LEARNER_DECLINED = "learner_declined", "Place declined by learner"
        WITHDRAWN = "withdrawn", "Withdrawn"
        OFFER_EXPIRED = "offer_expired", "Offer expired"

    # Statuses that hold a seat: an offer is a promise of a seat until the learner answers.
    HOLDS_SEAT = (Status.OFFERED, Status.ACCEPTED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="course_applications")
    answers = models.JSONField(default=dict, blank=True, help_text="{question id: answer}")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True, help_text="Orders the waiting list.")
    offered_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "candidate"], name="courses_application_once_per_cohort"),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="courses_application_status_idx")]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.cohort}"


class Enrolment(TimeStampedModel):
    """A learner's place on a cohort and how it ended."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DID_NOT_COMPLETE = "did_not_complete", "Did not complete"

    ACTIVE = (Status.ENROLLED,)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="enrolments")
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolment"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENROLLED)
    status_reason = models.TextField(blank=True, help_text="Why they paused, withdrew or did not complete.")
    ended_at = models.DateTimeField(null=True, blank=True)
    care_certificate_standards = models.PositiveSmallIntegerField(
        "Care Certificate standards achieved", default=0, validators=[MaxValueValidator(16)]
    )

    class Meta:
        ordering = ["candidate__last_name", "candidate__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "candidate"], name="courses_enrolment_once_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} on {self.cohort}"


class ApplicationStatusChange(StatusChange):
    """History of a course application (courses.services.history.application_history_record)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Application.Status.choices)

    class Meta(StatusChange.Meta):
        indexes = [models.Index(fields=["application", "-changed_at"], name="courses_app_history_idx")]


class EnrolmentStatusChange(StatusChange):
    """History of an enrolment (courses.services.history.enrolment_history_record)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=Enrolment.Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Enrolment.Status.choices)

    class Meta(StatusChange.Meta):
        indexes = [models.Index(fields=["enrolment", "-changed_at"], name="courses_enrol_history_idx")]


class Attendance(models.Model):
    class Mark(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        ABSENT_REASON = "absent_reason", "Absent with reason"
        ABSENT = "absent", "Absent without reason"

    # Marks that count towards the attendance percentage.
    ATTENDED = (Mark.PRESENT, Mark.LATE)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(max_length=14, choices=Mark.choices)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="courses_attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.session_id}: {self.mark}"


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    return f"certificates/{instance.enrolment.public_id}/{uuid.uuid4().hex}"


class Certificate(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="certificates")
    title = models.CharField(max_length=150)
    issued_on = models.DateField()
    file = models.FileField(upload_to=certificate_upload_to, max_length=200, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return self.title


class Feedback(models.Model):
    """The learner's rating of the course at the end of their cohort."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="courses_feedback_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"


class Questionnaire(models.Model):
    """A short before/after self-assessment (e.g. confidence and resilience), scored 0-50."""

    class When(models.TextChoices):
        BEFORE = "before", "Before the course"
        AFTER = "after", "After the course"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="questionnaires")
    when = models.CharField(max_length=6, choices=When.choices)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "when"], name="courses_questionnaire_once_each"),
        ]

    def __str__(self) -> str:
        return f"{self.get_when_display()}: {self.score}"


class SupportPayment(TimeStampedModel):
    """Money the academy spends to remove a learner's barrier: transport, childcare, clothes, lunch, bursaries.

    Charged to a funding stream: the stream's budget counts approved and paid payments, and a
    payment on a closed stream is refused. Moved here from academy (the table came with it, renamed).
    """

    class Kind(models.TextChoices):
        TRANSPORT = "transport", "Transport"
        CHILDCARE = "childcare", "Childcare"
        INTERVIEW_CLOTHES = "interview_clothes", "Interview clothes"
        LUNCH = "lunch", "Lunch vouchers"
        UNIFORM = "uniform", "Uniform"
        EXAM_FEES = "exam_fees", "Exam fees"
        ATTENDANCE_BURSARY = "attendance_bursary", "Attendance bursary"
        OTHER = "other", "Other support"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"
        REJECTED = "rejected", "Rejected"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="support_payments")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="support_payments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    description = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    funding_stream = models.ForeignKey(
        "academy.FundingStream", null=True, blank=True, on_delete=models.PROTECT, related_name="support_payments"
    )
    # Some payments count as income for Universal Credit and other benefits: staff record the risk
    # when asking, and the manager sees it before approving.
    may_affect_benefits = models.BooleanField("may affect the person's benefits", default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Why a manager rejected it (or a note on approving it), shown to the staff who asked.
    decision_reason = models.TextField(blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="courses_supportpayment_amount_positive"),
            # A bursary is paid once per learner per cohort, however often the list is processed.
            models.UniqueConstraint(
                fields=["candidate", "cohort"],
                condition=models.Q(kind="attendance_bursary") & ~models.Q(status="rejected"),
                name="courses_supportpayment_one_bursary_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} £{self.amount} ({self.get_status_display()})"
