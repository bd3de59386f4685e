"""Cross-cutting core: the user and roles, invitations and the audit log.

No model here has a key to a feature app (apps depend one way; see README, "Layout")."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """One step of a lifecycle (a course application, an enrolment, a placement): from, to, when, who, why.

    Written by the service that changes the status, beside its audit entry, so time-in-status and
    conversion come from rows rather than from parsing the audit log. A concrete model adds the
    foreign key to the row whose status changed and may override the status fields with choices.
    """

    from_status = models.CharField(max_length=30, blank=True, help_text="Blank for the first status.")
    to_status = models.CharField(max_length=30)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status} at {self.changed_at:%Y-%m-%d %H:%M}"


class Region(TimeStampedModel):
    """A group of academies (a regional partnership) that share providers, colleges and funding."""

    name = models.CharField(max_length=150, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AcademyQuerySet(models.QuerySet["Academy"]):
    def default(self) -> Academy:
        """The installation's first academy: where rows go when no academy is named (one-academy sites)."""
        return self.order_by("id").first() or self.create(name=settings.SITE_NAME, slug="academy")


def default_academy_id() -> int:
    return Academy.objects.default().pk


def academy_logo_upload_to(academy: Academy, filename: str) -> str:
    return f"academies/{academy.slug}/{uuid.uuid4().hex}/{filename}"


class Academy(TimeStampedModel):
    """One care career academy. Staff work in one at a time; learners belong to one.

    Session idle time and other security settings stay global; what differs between academies
    (name, area, contact details, logo, DBS policy) is held per academy."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="academies")
    councils = models.CharField("councils served", max_length=300, blank=True)
    # Outward codes ("PL1 PL2 TQ"), matched against the start of a learner's postcode to suggest an academy.
    postcode_areas = models.CharField(
        "postcode districts served",
        max_length=500,
        blank=True,
        help_text="Postcode districts or areas, separated by spaces, for example: PL1 PL2 PL4.",
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    website = models.URLField(blank=True)
    logo = models.FileField(upload_to=academy_logo_upload_to, blank=True)

    objects = AcademyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "academies"

    def __str__(self) -> str:
        return self.name

    @property
    def postcode_prefixes(self) -> list[str]:
        return [part.upper() for part in self.postcode_areas.replace(",", " ").split() if part]


class AcademyMembership(TimeStampedModel):
    """Staff and managers work for one or more academies (their role is the user's role)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="academy_memberships")
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["academy__name"]
        constraints = [models.UniqueConstraint(fields=["user", "academy"], name="academy_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.academy}"


class RegionalViewer(TimeStampedModel):
    """A regional manager: sees every academy of the region, side by side and combined, read-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="regional_views")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="viewers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="academy_regional_viewer_unique")]

    def __str__(self) -> str:
        return f"{self.user} views {self.region}"


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    STAFF = "staff", "Academy staff"
    MANAGER = "manager", "Academy manager"
    PROVIDER = "provider", "Care provider user"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.MANAGER)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. `role` decides what they can do; `is_staff` is Django admin access only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEARNER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("Django admin access", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # A learner's academy, chosen when they sign up; their record is created in it.
    home_academy = models.ForeignKey(
        "Academy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="academy"
    )

    objects = UserManager()
    # Set per request for staff (academy.tenancy): the academies they may use and the one in use.
    academy_access: Any

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["role", "email"], name="academy_user_role_email_idx")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_learner(self) -> bool:
        return self.role == Role.LEARNER

    @property
    def is_academy_staff(self) -> bool:
        """Staff and managers: everyone who works for the academy."""
        return self.role in (Role.STAFF, Role.MANAGER)

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_provider_user(self) -> bool:
        return self.role == Role.PROVIDER


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, now: Any = None) -> InvitationQuerySet:
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(TimeStampedModel):
    """A manager's invitation for staff, managers and provider users; learners sign up themselves.

    A provider user's provider is kept by providers (ProviderInvitation), not here.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    # Only a hash of the emailed token is stored, so a database leak does not leak working links.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Staff and managers join the academy they were invited into.
    academy = models.ForeignKey(Academy, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()
    # The email carrying the current link; replaced on each resend.
    email_message = models.ForeignKey(
        "academy.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(role="learner"), name="academy_invitation_not_learner"),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def sent_at(self) -> Any:
        """When the email with the current link went out; None while it waits in the outbox."""
        return self.email_message.sent_at if self.email_message else None


class OutboxMessage(TimeStampedModel):
    """An email written in the transaction of the change it tells about, and sent by a worker after it.

    The broker carries only this row's id, so personal data never sits in a queue, and a broker
    outage only delays the email: the per-minute sweep (academy.outbox) sends what is still pending.
    Once sent, the addresses and content are cleared; only what kind of email it was and when remain.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    # Which email this is: the template prefix it was rendered from (or allauth's), for operators.
    kind = models.CharField(max_length=120)
    to = models.JSONField(default=list, blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    subject = models.TextField(blank=True)
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    # Files sent with it, such as an interview's calendar invitation: [{"filename", "content", "mimetype"}] (text).
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The delivery service's id for it (GOV.UK Notify's notification id): delivery receipts name it.
    reference = models.CharField(max_length=64, blank=True)
    # Listed on a person's record (academy.notifications): its subject is kept after sending, and the row
    # is kept for NOTIFICATIONS_KEEP_DAYS rather than the outbox's month.
    on_record = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="academy_outbox_due_idx"),
            models.Index(fields=["reference"], condition=~models.Q(reference=""), name="academy_outbox_reference_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"


class AuditEntry(models.Model):
    """One thing someone did or saw. Written only through academy.services.audit_log."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True, help_text="Kept if the actor is later deleted.")
    action = models.CharField(max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="academy_audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action}"

    def get_absolute_url(self) -> str:
        return reverse("academy:audit-list") + f"?object_id={self.object_id}"


class FundingStream(TimeStampedModel):
    """A funder's pot of money and the rules it pays by: reference data every feature app charges to.

    Rules change every year, so they are data: targets, the follow-up points after a job start, and
    what "sustained" means for this funder (still in work at `sustained_after_weeks`). Eligibility
    rules and what is charged to the stream live in the apps that own those rows.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=150, unique=True)
    funder = models.CharField(max_length=150)
    code = models.CharField(max_length=30, unique=True, help_text="The funder's reference for this stream.")
    start_date = models.DateField()
    end_date = models.DateField()
    budget = models.DecimalField("budget (£)", max_digits=12, decimal_places=2)
    target_learners_engaged = models.PositiveIntegerField(null=True, blank=True)
    target_course_completions = models.PositiveIntegerField(null=True, blank=True)
    target_job_starts = models.PositiveIntegerField(null=True, blank=True)
    target_sustained_jobs = models.PositiveIntegerField(null=True, blank=True)
    target_priority_group_learners = models.PositiveIntegerField(null=True, blank=True)
    # Weeks after a job start at which the person is followed up, e.g. [4, 13, 26, 52].
    follow_up_weeks = models.JSONField(default=list, blank=True)
    sustained_after_weeks = models.PositiveSmallIntegerField("sustained means still in work after (weeks)", default=26)
    notes = models.TextField(blank=True)
    # Empty: the stream pays for every academy (a regional or national pot).
    academy = models.ForeignKey(
        "Academy", null=True, blank=True, on_delete=models.PROTECT, related_name="funding_streams"
    )

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="academy_stream_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="academy_stream_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_open_on(self, day: Any) -> bool:
        return self.start_date <= day <= self.end_date


def file_job_upload_to(job: FileJob, filename: str) -> str:
    # A random folder per job: names are never guessable, and two jobs never collide.
    return f"files/{job.created_at:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class FileJob(TimeStampedModel):
    """A file built in the background for the person who asked: a CSV export today, reports later.

    The builder for `kind` is found through academy.discovery (`<app>/file_jobs.py`). The file lives on
    the default storage (local folder or S3), so any web node serves what any worker built; only the
    requester can download it, each download is audited, and it is deleted when it expires.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted after expiry"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="file_jobs")
    academy = models.ForeignKey(Academy, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=file_job_upload_to, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="academy_filejob_owner_idx"),
            models.Index(fields=["status", "expires_at"], name="academy_filejob_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)


class PostcodeCentroid(models.Model):
    """Where a postcode is: the OS grid reference (metres) of its centroid, from the ONS Postcode Directory
    or OS Code-Point Open (open government licence), loaded by `manage.py load_postcodes`.

    Reference data with no key to anything: distances are plain arithmetic on easting and northing
    (Pythagoras on the British National Grid is within a fraction of a percent over tens of miles).
    """

    # Upper case without spaces ("LS98AB"), so any way of writing it finds the row.
    postcode = models.CharField(max_length=8, unique=True)
    # The district part ("LS9"): the fallback for a postcode missing from the table.
    outward = models.CharField(max_length=4)
    easting = models.IntegerField()
    northing = models.IntegerField()
    # ONS code of the local authority (e.g. E08000035 for Leeds) when the source file has it.
    local_authority = models.CharField(max_length=9, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["postcode"]
        indexes = [models.Index(fields=["outward"], name="academy_postcode_outward_idx")]

    def __str__(self) -> str:
        return f"{self.postcode[:-3]} {self.postcode[-3:]} ({self.easting}, {self.northing})"
