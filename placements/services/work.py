"""Work placements: arranging one for a learner on a cohort, recording hours, and moving it through
planned -> in progress -> completed -> signed off, or ended early with a reason.

Every move goes through `_move`: the status, a WorkPlacementStatusChange and an audit entry in one
transaction, with the row locked so two people cannot move it at once.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from academy.audit import audit_log
from academy.emails import email_enqueue, email_render
from academy.models import User
from candidates.models import Candidate
from courses.models import Cohort, Enrolment
from placements.models import MAX_WEEKLY_HOURS, WorkPlacement, WorkPlacementStatusChange
from providers.models import Provider

Status = WorkPlacement.Status

# Enrolments whose learner can be placed: on the course now, or completed it.
PLACEABLE_ENROLMENTS = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
# Placements still to come or under way: they block an overlapping one for the same learner.
LIVE = (Status.PLANNED, Status.IN_PROGRESS)
# Hours worked may run over the plan by this share (a late shift, a training afternoon), never more.
HOURS_MARGIN = Decimal("0.25")
REVIEW_MAX_LENGTH = 2000

# Allowed moves: from -> to.
MOVES: dict[str, tuple[str, ...]] = {
    Status.PLANNED: (Status.IN_PROGRESS, Status.ENDED_EARLY),
    Status.IN_PROGRESS: (Status.COMPLETED, Status.ENDED_EARLY),
    Status.COMPLETED: (Status.SIGNED_OFF,),
    Status.SIGNED_OFF: (),
    Status.ENDED_EARLY: (),
}


def placement_weeks(start_date: dt.date, end_date: dt.date) -> int:
    """Calendar weeks the placement spans (a 4-day placement is one week; 8 days is two)."""
    return max(1, math.ceil(((end_date - start_date).days + 1) / 7))


def placement_weekly_cap(start_date: dt.date, end_date: dt.date) -> Decimal:
    """The most hours anyone could work over the placement's dates (MAX_WEEKLY_HOURS a week)."""
    return Decimal(MAX_WEEKLY_HOURS * placement_weeks(start_date, end_date))


def placement_max_worked_hours(placement: WorkPlacement) -> Decimal:
    """The most hours a provider may record: the plan plus a margin, never above the weekly cap."""
    over_plan = (placement.planned_hours * (1 + HOURS_MARGIN)).quantize(Decimal("0.1"))
    return min(over_plan, placement_weekly_cap(placement.start_date, placement.end_date))


def _check_plan(*, cohort: Cohort, start_date: dt.date, end_date: dt.date, planned_hours: Decimal) -> None:
    errors: dict[str, str] = {}
    if start_date < cohort.start_date:
        errors["start_date"] = (
            f"The placement must start on or after the cohort starts ({cohort.start_date:%-d %B %Y})."
        )
    if end_date < start_date:
        errors["end_date"] = "The end date must be the same as or after the start date."
    if planned_hours <= 0:
        errors["planned_hours"] = "Planned hours must be more than 0."
    elif end_date >= start_date and planned_hours > placement_weekly_cap(start_date, end_date):
        weeks = placement_weeks(start_date, end_date)
        errors["planned_hours"] = (
            f"Planned hours must be {placement_weekly_cap(start_date, end_date)} or fewer: at most "
            f"{MAX_WEEKLY_HOURS} hours a week over {weeks} week{'s' if weeks != 1 else ''}."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def work_placement_create(
    *,
    actor: User,
    candidate: Candidate,
    cohort: Cohort,
    provider: Provider,
    start_date: dt.date,
    end_date: dt.date,
    planned_hours: Decimal,
    supervisor_name: str,
    supervisor_phone: str = "",
) -> WorkPlacement:
    """Arrange a placement for a learner on the cohort with a provider; it starts as planned.

    Refused when the learner is not enrolled on the cohort (or completed it), when the dates fall
    before the cohort or overlap another live placement, or when the hours are not sane.
    """
    if candidate.anonymised_at is not None:
        raise ValidationError({"candidate": "This learner's record has been anonymised: they cannot be placed."})
    enrolment = Enrolment.objects.filter(cohort=cohort, candidate=candidate).first()
    if enrolment is None:
        raise ValidationError(
            {"candidate": f"{candidate.full_name} is not enrolled on {cohort.name}, so cannot be placed from it."}
        )
    if enrolment.status not in PLACEABLE_ENROLMENTS:
        raise ValidationError(
            {
                "candidate": f"{candidate.full_name} is {enrolment.get_status_display().lower()} on {cohort.name}: "
                "only learners on the course or who completed it can be placed."
            }
        )
    supervisor_name = supervisor_name.strip()
    if not supervisor_name:
        raise ValidationError({"supervisor_name": "Enter the supervisor's name."})
    _check_plan(cohort=cohort, start_date=start_date, end_date=end_date, planned_hours=planned_hours)
    overlapping = WorkPlacement.objects.filter(
        candidate=candidate, status__in=LIVE, start_date__lte=end_date, end_date__gte=start_date
    ).select_related("provider")
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {
                "start_date": f"{candidate.full_name} already has a placement at {clash.provider.name} from "
                f"{clash.start_date:%-d %B} to {clash.end_date:%-d %B %Y}; the dates overlap."
            }
        )
    placement = WorkPlacement.objects.create(
        candidate=candidate,
        cohort=cohort,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        planned_hours=planned_hours,
        supervisor_name=supervisor_name,
        supervisor_phone=supervisor_phone.strip(),
        status=Status.PLANNED,
    )
    WorkPlacementStatusChange.objects.create(
        placement=placement, from_status="", to_status=placement.status, changed_by=actor, changed_at=timezone.now()
    )
    audit_log(
        actor=actor,
        action="work_placement.create",
        obj=placement,
        data={
            "cohort": str(cohort.public_id),
            "provider": str(provider.public_id),
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat(),
            "planned_hours": str(planned_hours),
        },
    )
    _email_arranged(placement)
    return placement


def _email_arranged(placement: WorkPlacement) -> None:
    """Tell the provider's users and the learner (written to the outbox in this transaction)."""
    detail_path = reverse("placements:work-placement-detail", kwargs={"public_id": placement.public_id})
    context = {"placement": placement, "learner": placement.candidate, "provider": placement.provider}
    hosts = sorted(
        placement.provider.memberships.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if hosts:
        email_enqueue(
            email_render(
                template_prefix="placements/email/placement_arranged_provider",
                to=hosts,
                context={**context, "detail_path": detail_path},
            )
        )
    candidate = placement.candidate
    if candidate.email and candidate.user_id:
        email_enqueue(
            email_render(
                template_prefix="placements/email/placement_arranged_learner",
                to=[candidate.email],
                context={**context, "courses_path": reverse("courses:my-enrolments")},
            )
        )


@transaction.atomic
def work_placement_update(
    *,
    placement: WorkPlacement,
    actor: User,
    provider: Provider,
    start_date: dt.date,
    end_date: dt.date,
    planned_hours: Decimal,
    supervisor_name: str,
    supervisor_phone: str = "",
) -> WorkPlacement:
    """Change a planned or in-progress placement's provider, dates, hours or supervisor, with the same
    checks as arranging it (hours already worked must still fit); audited with what changed."""
    _locked(placement)
    if placement.status not in LIVE:
        raise ValidationError(
            f"This placement is {placement.get_status_display().lower()}: only planned or in-progress "
            "placements can be changed."
        )
    if placement.status == Status.IN_PROGRESS and provider.pk != placement.provider_id:
        raise ValidationError({"provider": "The learner has started this placement: the provider cannot change."})
    supervisor_name = supervisor_name.strip()
    if not supervisor_name:
        raise ValidationError({"supervisor_name": "Enter the supervisor's name."})
    if placement.cohort is not None:
        _check_plan(cohort=placement.cohort, start_date=start_date, end_date=end_date, planned_hours=planned_hours)
    clash = (
        WorkPlacement.objects.filter(
            candidate_id=placement.candidate_id, status__in=LIVE, start_date__lte=end_date, end_date__gte=start_date
        )
        .exclude(pk=placement.pk)
        .select_related("provider")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start_date": f"These dates overlap another placement, at {clash.provider.name} "
                f"from {clash.start_date:%-d %B %Y}."
            }
        )
    new = {
        "provider": provider,
        "start_date": start_date,
        "end_date": end_date,
        "planned_hours": planned_hours,
        "supervisor_name": supervisor_name,
        "supervisor_phone": supervisor_phone.strip(),
    }
    changed = {name: str(value) for name, value in new.items() if getattr(placement, name) != value}
    for name, value in new.items():
        setattr(placement, name, value)
    if placement.worked_hours > placement_max_worked_hours(placement):
        raise ValidationError(
            {"planned_hours": f"{placement.worked_hours} hours are already recorded: plan at least that many."}
        )
    if changed:
        placement.save(update_fields=[*new, "updated_at"])
        audit_log(actor=actor, action="work_placement.update", obj=placement, data={"changed": changed})
    return placement


def _locked(placement: WorkPlacement) -> WorkPlacement:
    """The placement, re-read under a row lock (moves are serialised per placement)."""
    locked = WorkPlacement.objects.select_for_update().get(pk=placement.pk)
    for field in ("status", "status_reason", "worked_hours", "review", "signed_off_at", "signed_off_by_id"):
        setattr(placement, field, getattr(locked, field))
    return placement


def _move(
    *, placement: WorkPlacement, to_status: str, actor: User, reason: str = "", fields: tuple[str, ...] = ()
) -> WorkPlacement:
    """Set the status (after checking the move is allowed), write its history row and the audit entry."""
    from_status = placement.status
    if to_status not in MOVES[from_status]:
        raise ValidationError(
            f"This placement is {placement.get_status_display().lower()}, so it cannot be marked "
            f"{Status(to_status).label.lower()}."
        )
    placement.status = to_status
    placement.save(update_fields=["status", *fields, "updated_at"])
    WorkPlacementStatusChange.objects.create(
        placement=placement,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changed_by=actor,
        changed_at=timezone.now(),
    )
    audit_log(
        actor=actor,
        action=f"work_placement.{to_status}",
        obj=placement,
        data={"from": from_status, "to": to_status, **({"reason": reason} if reason else {})},
    )
    return placement


@transaction.atomic
def work_placement_start(*, placement: WorkPlacement, actor: User, today: dt.date | None = None) -> WorkPlacement:
    """The learner has started: planned -> in progress (not before the start date)."""
    today = today or timezone.localdate()
    _locked(placement)
    if placement.status == Status.PLANNED and today < placement.start_date:
        raise ValidationError(
            f"The placement starts on {placement.start_date:%-d %B %Y}: mark it started on or after that day."
        )
    return _move(placement=placement, to_status=Status.IN_PROGRESS, actor=actor)


@transaction.atomic
def work_placement_complete(*, placement: WorkPlacement, actor: User) -> WorkPlacement:
    """The learner finished the placement: in progress -> completed, waiting for the provider's sign-off."""
    _locked(placement)
    if placement.status == Status.IN_PROGRESS and placement.worked_hours <= 0:
        raise ValidationError("Record the hours worked before marking the placement completed.")
    return _move(placement=placement, to_status=Status.COMPLETED, actor=actor)


@transaction.atomic
def work_placement_end_early(*, placement: WorkPlacement, actor: User, reason: str) -> WorkPlacement:
    """The placement stopped before its end (or never started): planned or in progress -> ended early."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the placement ended early."})
    _locked(placement)
    placement.status_reason = reason
    return _move(
        placement=placement, to_status=Status.ENDED_EARLY, actor=actor, reason=reason, fields=("status_reason",)
    )


@transaction.atomic
def work_placement_sign_off(*, placement: WorkPlacement, actor: User, review: str) -> WorkPlacement:
    """The provider signs the completed placement off with a short review: completed -> signed off."""
    review = review.strip()
    if not review:
        raise ValidationError({"review": "Enter a short review of how the placement went."})
    if len(review) > REVIEW_MAX_LENGTH:
        raise ValidationError({"review": f"The review must be {REVIEW_MAX_LENGTH} characters or fewer."})
    _locked(placement)
    placement.review = review
    placement.signed_off_at = timezone.now()
    placement.signed_off_by = actor
    return _move(
        placement=placement,
        to_status=Status.SIGNED_OFF,
        actor=actor,
        fields=("review", "signed_off_at", "signed_off_by"),
    )


@transaction.atomic
def work_placement_record_hours(*, placement: WorkPlacement, actor: User, worked_hours: Decimal) -> WorkPlacement:
    """Record the hours worked so far (in progress or completed): never negative, never above the plan
    plus a margin or MAX_WEEKLY_HOURS a week over the placement's dates."""
    _locked(placement)
    if placement.status not in (Status.IN_PROGRESS, Status.COMPLETED):
        raise ValidationError(
            f"Hours can be recorded once the placement is in progress, until it is signed off; "
            f"it is {placement.get_status_display().lower()}."
        )
    if worked_hours < 0:
        raise ValidationError({"worked_hours": "Hours worked cannot be below 0."})
    most = placement_max_worked_hours(placement)
    if worked_hours > most:
        raise ValidationError(
            {
                "worked_hours": f"Hours worked must be {most} or fewer: the {placement.planned_hours} planned hours "
                f"plus {int(HOURS_MARGIN * 100)}%, and at most {MAX_WEEKLY_HOURS} hours a week."
            }
        )
    before = placement.worked_hours
    placement.worked_hours = worked_hours
    placement.save(update_fields=["worked_hours", "updated_at"])
    audit_log(
        actor=actor,
        action="work_placement.hours",
        obj=placement,
        data={"from": str(before), "to": str(worked_hours)},
    )
    return placement
