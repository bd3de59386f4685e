"""The learner record: one person, many applications over time, counted once."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from academy.models import Academy, TimeStampedModel, User, default_academy_id
from candidates.models import choices


class PipelineStage(TimeStampedModel):
    """A step of the academy's pipeline; managers can rename, reorder and add stages."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_closed = models.BooleanField(default=False, help_text="Moving someone here needs a reason.")
    is_active = models.BooleanField(default=True)
    # What code moves people to (candidates.services.pipeline.candidate_move_to_milestone); fixed,
    # unlike the name and position. Stages managers add carry none.
    milestone = models.CharField(max_length=20, choices=choices.Milestone.choices, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"],
                condition=~models.Q(milestone=""),
                name="candidates_pipelinestage_one_stage_per_milestone",
            )
        ]

    def __str__(self) -> str:
        return self.name


def current_q(path: str = "") -> models.Q:
    """The one meaning of a current record, seen through `path` from another model
    (current_q("dbs_check__candidate") for a DBS reminder's person)."""
    prefix = f"{path}__" if path else ""
    return models.Q(**{f"{prefix}merged_into__isnull": True, f"{prefix}anonymised_at__isnull": True})


# Records in use: not merged into another record and not anonymised.
CURRENT = current_q()
# Columns the staff list searches (candidate_search_q); first and last name first.
SEARCHED_FIELDS = ["last_name", "first_name", "email", "phone_key", "postcode"]


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def current(self) -> CandidateQuerySet:
        """Records in use (CURRENT): not merged into another and not anonymised. Every list, picker,
        work queue, message and reminder reads these."""
        return self.filter(CURRENT)

    def one_per_person(self) -> CandidateQuerySet:
        """Each person once: records merged into another left out, anonymised ones kept. For figures
        that must stay intact after erasure, and for opening a record from a link (staff's scope)."""
        return self.filter(merged_into__isnull=True)

    def owned_by(self, user: User) -> CandidateQuerySet:
        return self.filter(owner=user)


class Candidate(TimeStampedModel):
    """A person the academy works with, with or without a portal account."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate"
    )
    # The academy that works with the person now; `AcademyTransfer` keeps where they were before.
    academy = models.ForeignKey(
        Academy, on_delete=models.PROTECT, related_name="candidates", default=default_academy_id
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=30, blank=True)
    # Digits only, so "07700 900123" and "+44 7700 900123" are recognised as the same phone.
    phone_key = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    postcode = models.CharField(max_length=10, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    right_to_work = models.CharField(max_length=10, choices=choices.RightToWork.choices, blank=True)
    source = models.CharField("how they heard about us", max_length=20, choices=choices.Source.choices, blank=True)

    # Eligibility facts that funders ask for.
    employment_status = models.CharField(max_length=20, choices=choices.EmploymentStatus.choices, blank=True)
    months_out_of_work = models.PositiveSmallIntegerField(null=True, blank=True)
    benefit_status = models.CharField(max_length=20, choices=choices.BenefitStatus.choices, blank=True)
    jobcentre_referral = models.BooleanField("referred by Jobcentre Plus", default=False)
    work_coach_name = models.CharField(max_length=100, blank=True)
    highest_qualification = models.CharField(max_length=20, choices=choices.Qualification.choices, blank=True)
    # Yearly pay before tax, for funders that pay only for people earning below a threshold.
    current_salary = models.DecimalField(
        "current yearly salary (£)", max_digits=9, decimal_places=2, null=True, blank=True
    )

    caring_responsibilities = models.BooleanField(default=False)
    interests = models.JSONField(default=list, blank=True, help_text="Codes from choices.Interest.")
    availability = models.CharField(max_length=20, choices=choices.Availability.choices, blank=True)
    driving_licence = models.BooleanField(default=False)
    has_car = models.BooleanField("has use of a car", default=False)
    profile_steps_done = models.JSONField(default=list, blank=True, editable=False)

    stage = models.ForeignKey(PipelineStage, on_delete=models.PROTECT, related_name="candidates")
    stage_entered_at = models.DateTimeField(default=timezone.now)
    closed_reason = models.CharField(max_length=20, choices=choices.ClosedReason.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_candidates",
        limit_choices_to={"role__in": ["staff", "manager"]},
    )
    # Indexed only where set (candidates_merged_into_idx): almost every row is NULL, and a full
    # index would look selective for "IS NULL" and mislead SQLite's planner on the staff list.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        editable=False,
        db_index=False,
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the record is anonymised: the date of birth goes, but age figures in reports stay intact.
    age_band_at_registration = models.CharField(
        max_length=10, choices=choices.AgeBand.choices, blank=True, editable=False
    )
    # Set when the record is anonymised: the underrepresented groups its equality answers (deleted
    # then) placed the person in, as codes (",men,care_leaver,"), so group figures stay intact.
    groups_at_anonymisation = models.CharField(max_length=200, blank=True, editable=False)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["stage", "-created_at"], name="candidates_stage_created_idx"),
            models.Index(fields=["last_name", "first_name"], name="candidates_name_idx"),
            models.Index(fields=["owner", "stage"], name="candidates_owner_stage_idx"),
            models.Index(fields=["-created_at"], name="candidates_created_idx"),
            models.Index(fields=["postcode"], name="candidates_postcode_idx"),
            models.Index(
                fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="candidates_merged_into_idx"
            ),
            # The staff list (selectors/candidate_list.py): one index per sort, alone and within a
            # stage, over current records only, led by the academy every list is scoped to. Every
            # list query reads the page's ids from one of these without touching the table; the
            # newest-first and name indexes also carry the searched columns. The trailing
            # merged_into/anonymised_at columns add nothing on PostgreSQL but let SQLite treat the
            # index as covering. Search has trigram indexes on PostgreSQL (migration 0019). Measured
            # by `make bench`.
            *(
                models.Index(fields=["academy", *fields, "merged_into", "anonymised_at"], condition=CURRENT, name=name)
                for name, fields in [
                    ("candidates_list_new_idx", ["created_at", "id", *SEARCHED_FIELDS]),
                    ("candidates_list_name_idx", ["last_name", "first_name", "id", *SEARCHED_FIELDS[2:]]),
                    ("candidates_list_in_stage_idx", ["stage_entered_at", "id"]),
                    ("candidates_list_stage_new_idx", ["stage", "created_at", "id"]),
                    ("candidates_list_stage_name_idx", ["stage", "last_name", "first_name", "id"]),
                    ("candidates_list_stage_time_idx", ["stage", "stage_entered_at", "id"]),
                    ("candidates_list_source_idx", ["source", "created_at", "id"]),
                    # In id order: merged with the equality and barrier indexes by filters on those.
                    ("candidates_list_id_idx", ["id"]),
                ]
            ),
            # The duplicate check (selectors/duplicates.py) compares the lower-cased email, the phone
            # key (indexed above) and the date of birth: each one an index lookup, joined by a BitmapOr.
            models.Index(Lower("email"), condition=CURRENT, name="candidates_dup_email_idx"),
            models.Index(fields=["date_of_birth"], condition=CURRENT, name="candidates_dup_dob_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("candidates:candidate-detail", kwargs={"public_id": self.public_id})

    @property
    def is_current(self) -> bool:
        """The same test as CURRENT, on a loaded record."""
        return self.merged_into_id is None and self.anonymised_at is None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, day: date) -> int | None:
        if not self.date_of_birth:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class CandidateBarrier(models.Model):
    """A barrier to work the learner told us about, and the support it needs."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="barriers")
    barrier = models.CharField(max_length=20, choices=choices.Barrier.choices)
    support_needed = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["barrier"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "barrier"], name="candidates_barrier_unique_per_candidate")
        ]
        # The staff list's barrier filter: one barrier's people in candidate order, from the index alone.
        indexes = [models.Index(fields=["barrier", "candidate"], name="candidates_barrier_filter_idx")]

    def __str__(self) -> str:
        return self.get_barrier_display()


class StageChange(models.Model):
    """History of the pipeline: time-in-stage and conversion come from these rows."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(PipelineStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey(PipelineStage, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=choices.ClosedReason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["candidate", "-changed_at"], name="candidates_stagechange_idx")]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.from_stage_id} -> {self.to_stage_id}"


class AcademyTransfer(models.Model):
    """A learner who moved: their record, with its history, went from one academy to another.

    Figures give each event to the academy the person was with when it happened (the `from_academy`
    of the first transfer after it, else the current academy), so a region counts a mover once."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="academy_transfers")
    from_academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="+")
    to_academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["candidate", "changed_at"], name="candidates_transfer_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_academy=models.F("to_academy")), name="candidates_transfer_moves"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.from_academy_id} -> {self.to_academy_id}"
